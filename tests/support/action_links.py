"""Following an action link as the customer's browser does: the token from the link's URL, redeemed."""
import re


def token_of(url: str) -> str:
    return re.search(r"#/act/([A-Za-z0-9_-]+)$", url).group(1)


def redeem(who, token: str):
    return who.portal.post("/portal/action-links/redeem", {"token": token})
