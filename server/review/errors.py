"""Why a review request is refused: each error carries its Problem `code` and a message safe to show.

```
ReviewRefused (code, message)
├─ Invalid: the request cannot be taken as it is (HTTP 422)
│  ├─ UnknownFinding        `unknown_finding`: no finding with this id in the audit
│  ├─ ReasonRequired        `reason_required`: a dismissal without a reason
│  └─ ReasonNotAllowed      `invalid_request`: a reason with a decision other than dismissed
└─ Conflict: the audit is not in a state that allows it (HTTP 409)
   ├─ AuditNotFinished      `audit_not_finished`: sign-off before audit_finished
   ├─ AuditNotCompleted     `audit_not_completed`: sign-off of a failed or cancelled audit
   ├─ FindingsUndecided     `findings_undecided`: high or medium findings without a decision
   └─ AlreadySignedOff      `signed_off`: the review is closed
```
The transport maps the two branches to statuses (server/transports/review.py).
"""

from __future__ import annotations


class ReviewRefused(Exception):
    code = "invalid_request"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"


class Invalid(ReviewRefused):
    """The request names something that does not exist or breaks a rule of the contract."""


class UnknownFinding(Invalid):
    code = "unknown_finding"


class ReasonRequired(Invalid):
    code = "reason_required"


class ReasonNotAllowed(Invalid):
    code = "invalid_request"


class Conflict(ReviewRefused):
    """The request is well-formed but the audit's state does not allow it now."""


class AuditNotFinished(Conflict):
    code = "audit_not_finished"


class AuditNotCompleted(Conflict):
    code = "audit_not_completed"


class FindingsUndecided(Conflict):
    code = "findings_undecided"


class AlreadySignedOff(Conflict):
    code = "signed_off"
