"""A manager's day in the admin (issue 20), in Chromium at 1280 px: the dashboard's figure leads
to the filtered queue; "M'attribuer" then "Mes demandes"; an answer template inserted, edited
and sent with "Résoudre"; an internal note the member never sees. The admin pages they cross
pass axe-core with no violation."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from casework.models import AnswerTemplate
from casework.services import case_move
from requests_app.models import MemberRequest
from requests_app.services import member_request_submit
from tests.browser.conftest import open_signed_in
from tests.helpers.axe import assert_no_violation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.parametrize("viewport", ["desktop"], indirect=True),
]

QUEUE = "/gestion/requests_app/memberrequest/"


def _submit(member, days_ago=0, **fields):
    fields.setdefault("kind", "question")
    fields.setdefault("subject", "Ma question")
    fields.setdefault("message", "Bonjour")
    sent = member_request_submit(member=member, by=member.user, **fields)
    if days_ago:
        MemberRequest.objects.filter(pk=sent.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
    return sent


def test_the_dashboard_figure_leads_to_the_queue_and_assign_to_me(
    new_page, live_server, insurer_manager, member, other_member
):
    new = _submit(member, days_ago=3)
    taken = _submit(other_member, days_ago=1)
    case_move(case=taken, move="take", by=insurer_manager)

    admin = open_signed_in(new_page, live_server, insurer_manager, "/gestion/")
    admin.get_by_role("heading", name="Tableau de bord").wait_for()
    assert_no_violation(admin)
    by_status = admin.locator("table", has=admin.get_by_text("Par statut")).first
    by_status.get_by_role("row", name=re.compile(r"^Nouveau")).get_by_role("link").click()

    admin.wait_for_url(re.compile(r"status__exact=new"))
    rows = admin.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert rows.first.get_by_text(new.reference).is_visible()
    height = rows.first.bounding_box()["height"]
    assert height < 40, f"a row wraps ({height}px)"
    assert_no_violation(admin)

    admin.get_by_label(f"Sélectionner la demande {new.reference}").check()
    admin.locator("select[name=action]").select_option(label="M'attribuer")
    admin.get_by_role("button", name="Envoyer").click()
    admin.get_by_text("1 demande attribuée à").wait_for()
    admin.get_by_role("link", name="Mes demandes", exact=True).first.click()
    admin.wait_for_url(re.compile(r"assignee=me"))
    assert admin.locator("#result_list").get_by_text(new.reference).is_visible()


def test_insert_a_template_edit_it_and_resolve_with_an_internal_note_the_member_never_sees(
    new_page, live_server, insurer_manager, member
):
    sent = _submit(member, kind="refund", subject="", message="Mon remboursement ?")
    case_move(case=sent, move="take", by=insurer_manager)
    AnswerTemplate.objects.create(
        request_type="member_request:refund",
        title="Remboursement en cours",
        text="Bonjour {civilite} {nom}, votre demande {reference} est en cours de paiement.",
    )

    admin = open_signed_in(new_page, live_server, insurer_manager, f"{QUEUE}{sent.pk}/change/")
    admin.get_by_label("Nouvelle note interne").fill("Vérifier le RIB avant de payer.")
    admin.get_by_role("button", name="Ajouter la note").click()
    admin.get_by_text("Note interne ajoutée").wait_for()
    assert admin.get_by_text("Vérifier le RIB avant de payer.").is_visible()
    assert_no_violation(admin)

    admin.get_by_role("link", name="Résoudre").first.click()
    admin.get_by_label("Réponse type").select_option(label="Remboursement en cours")
    admin.get_by_role("button", name="Insérer").click()
    answer = admin.get_by_label("Réponse à l'adhérent")
    expected = f"Bonjour Madame MARTIN, votre demande {sent.reference} est en cours de paiement."
    assert answer.input_value() == expected
    assert "modele=" not in admin.url, "inserted without reloading the page"
    assert_no_violation(admin)
    answer.press("End")
    answer.type(" Il arrivera sous 48 heures.")
    admin.get_by_role("button", name="Envoyer la réponse et résoudre").click()
    admin.wait_for_url(re.compile(r"/change/$"))
    admin.get_by_text("est résolue").wait_for()

    page = open_signed_in(new_page, live_server, member.user, f"/demandes/{sent.reference}/")
    page.get_by_text(f"{expected} Il arrivera sous 48 heures.").first.wait_for()
    assert "Vérifier le RIB" not in page.content()


@pytest.mark.parametrize(
    "path",
    [
        "/gestion/support/faqtheme/",
        "/gestion/support/faqtheme/{theme}/change/",
        QUEUE + "{request}/change/",
        QUEUE + "{request}/resoudre/",
        "/gestion/partners/partnerrequest/",
        "/gestion/partners/organism/{organism}/change/",
        "/gestion/partners/structure/{structure}/change/",
        "/gestion/partners/convention/",
        "/gestion/casework/answertemplate/add/",
        "/gestion/casework/targetdelay/add/",
    ],
)
def test_the_admin_pages_of_the_managers_have_no_axe_violation(
    new_page, live_server, insurer_manager, member, organism, convention, path
):
    from support.models import FaqEntry, FaqTheme

    theme = FaqTheme.objects.create(name="Remboursements", position=1)
    FaqEntry.objects.create(theme=theme, question="Quand ?", answer="Vite.", position=1)
    sent = _submit(member)
    case_move(case=sent, move="take", by=insurer_manager)
    url = path.format(
        theme=theme.pk, request=sent.pk, organism=organism.pk, structure=convention.structure_id
    )
    admin = open_signed_in(new_page, live_server, insurer_manager, url)
    assert admin.url.endswith(url)
    assert_no_violation(admin)
