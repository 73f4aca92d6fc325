"""Change requests (P19): understood first, priced and dated, agreed in writing.

A change is raised by the provider, by the client in the portal, or turned from a client's
request. The provider states its price impact (money in the project's currency, negative for
less work) and its date impact (working days); it is then sent to the client as an amendment to
the signed contract, which the client signs in the portal exactly like the contract, or rejects
with a reason. The client's signature is the approval: the affected milestone and those after it
move, their commitments are renegotiated (the client was told by the amendment itself), the
project's due date moves, and a payment stage is appended to the schedule.
"""
