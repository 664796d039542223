"""The member's cover: contract, card, beneficiaries and reimbursements. Each views module
exposes its own `urlpatterns`."""

from cover.views import beneficiaries, card, contract, reimbursements

app_name = "cover"

urlpatterns = [
    *contract.urlpatterns,
    *card.urlpatterns,
    *beneficiaries.urlpatterns,
    *reimbursements.urlpatterns,
]
