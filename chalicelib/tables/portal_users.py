"""Portal sign-in accounts: one per contact person, keyed by organization and email.

Failed sign-ins are not counted here but in `rate_counters`, under the same login key, so an
email without an account is slowed down and locked exactly like one with an account."""
from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute, VersionAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from .base import table


def login_key(org_id: str, email: str) -> str:
    return f"{org_id}#{email.strip().lower()}"


class PortalUsersByContact(GlobalSecondaryIndex):
    class Meta:
        index_name = "contact"
        projection = AllProjection()

    owner = UnicodeAttribute(hash_key=True)          # org#customer
    contact_id = UnicodeAttribute(range_key=True)


@table("portal_users", deletable=True)   # an account moves to its new sign-in email
class PortalUserItem(Model):
    class Meta:
        pass

    login = UnicodeAttribute(hash_key=True)           # org#email (lower case)
    org_id = UnicodeAttribute()
    customer_id = UnicodeAttribute()
    owner = UnicodeAttribute()
    contact_id = UnicodeAttribute()
    email = UnicodeAttribute()
    role = UnicodeAttribute()                         # primary | contact
    status = UnicodeAttribute(default="invited")      # invited | active | disabled
    password_hash = UnicodeAttribute(null=True)
    password_changed_at = UTCDateTimeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    by_contact = PortalUsersByContact()
