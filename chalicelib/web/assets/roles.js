// What the signed-in contact's role lets them do, as the server's rule says (docs/security.md
// "Roles"): the owner everything; billing pays, keeps cards and decides estimates and timesheets;
// a viewer reads. The page hides what a role may not do; the server refuses it either way.

/** The account's owner: people, details, subscriptions, forwarding. */
export function isOwner(me) { return me.contact.role === "owner"; }

/** Pays invoices and manages the cards they are paid with. */
export function canPay(me) { return me.contact.role === "owner" || me.contact.role === "billing"; }

/** Accepts or declines estimates, approves or rejects timesheets. */
export function canDecide(me) { return canPay(me); }
