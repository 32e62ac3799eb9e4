"""A quote's notes carry their words as data beside their English text: the kind of note and the
days, day and plan it names, for the browser to write in the customer's language."""
from tests.support.api import client
from tests.support.subscriptions import TERM, a_shop

PAUSES = {"pause_resume": {"enabled": True, "customer_can_resume": True}}
EDIT_ONLY = {"edit_subscription": {"enabled": True}}


def note_words(kind, *, days=None, days_in_term=None, day=None, name=""):
    return {"kind": kind, "days": days, "days_in_term": days_in_term, "day": day, "name": name}


def test_a_later_pause_says_the_day_it_pauses_and_the_days_it_credits_as_data(aws):
    with client() as c:
        # Given Pro for the term Nov 9 - Dec 10, today Nov 25
        shop = a_shop(c, preferences=PAUSES)
        sub = shop.subscription("live", **TERM)
        path = f"/portal/subscriptions/{sub['subscription_id']}"

        # When Zoë previews a pause from Nov 30
        quote = shop.portal.post(f"{path}/pause-schedule/preview", {"pause_at": "2026-11-30"}).json

        # Then each note's text is beside its words, in the same order
        assert quote["notes"] == ["It pauses on 2026-11-30.",
                                  "The 10 paid, unused days from then are credited to your account by day."]
        assert quote["note_words"] == [note_words("pauses_on", day="2026-11-30"),
                                       note_words("pause_will_credit_days", days=10)]

        # And the pause confirmed with that quote's id is made
        made = shop.portal.put(f"{path}/pause-schedule", {"pause_at": "2026-11-30", "quote_id": quote["quote_id"]})
        assert made.status == 200, made.json


def test_a_change_to_a_yearly_plan_now_names_the_days_credited_and_the_new_plan(aws):
    with client() as c:
        # Given Pro monthly for the term Nov 9 - Dec 10 (31 days), today Nov 25
        shop = a_shop(c, preferences=EDIT_ONLY)
        sub = shop.subscription("live", **TERM)

        # When Zoë previews Pro yearly from now
        quote = shop.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/changes/preview",
                                 {"plan": "yearly"}).json

        # Then the note says the term ends today, its unused days and the new plan's name, as data too
        assert quote["notes"] == ["The current term ends today: its 15 unused of 31 days are credited, and a new "
                                  "term of Pro yearly starts today."]
        assert quote["note_words"] == [note_words("term_restarts_today", days=15, days_in_term=31, name="Pro yearly")]


def test_a_cancellation_at_term_end_names_the_last_day_as_data(aws):
    with client() as c:
        shop = a_shop(c, preferences={"cancel": {"enabled": True}})
        sub = shop.subscription("live", **TERM)

        quote = shop.portal.post(f"/portal/subscriptions/{sub['subscription_id']}/cancel/preview",
                                 {"when": "end_of_term"}).json

        assert quote["notes"] == ["It stays active until 2026-12-10 and will not renew."]
        assert quote["note_words"] == [note_words("active_until", day="2026-12-10")]
