"""Every page x every persona: who gets the page, who is sent to sign in, who gets a 404."""

import pytest
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.models import CodeDevice
from requests_app.models import RequestKind
from requests_app.services import member_request_submit

pytestmark = pytest.mark.django_db

LOGIN = "/compte/connexion/"
PARTNERS = "/partenaires/"
REAUTH = "/compte/confirmer-mon-identite/"

# url -> expected answer per persona: 200, "login" (redirect to sign-in) or 404.
MEMBER_PAGES = [
    "/compte/mes-informations/",
    "/compte/mes-informations/adresse/",
    "/compte/mes-informations/appareils/",
    "/demandes/",
    "/messagerie/",
    "/mes-documents/",
    "/mes-documents/historique-des-mails/",
    "/demandes/poser-une-question/",
    "/demandes/envoyer-un-document/",
    "/demandes/medecine-douce/",
    "/demandes/remboursement/",
    "/demandes/devis/",
    "/messagerie/ecrire/",
    "/demandes/declarer-un-changement/",
    "/demandes/declarer-un-changement/adresse/",
    "/demandes/declarer-un-changement/teletransmission/",
    # My cover (issue 5): the member fixture has no contract nor payment, and these pages say
    # so; the PDFs and details of a given contract or payment are scoped in their own tests.
    "/contrat/",
    "/contrat/modalites-de-remboursement/",
    "/carte/",
    "/beneficiaires/",
    "/remboursements/",
    "/remboursements/tiers/",
    "/remboursements/rib/",
    # Help and tools (issue 6).
    "/suivi/",
    "/aide/faq/",
    "/aide/conseiller/",
    "/contact/",
    "/services/",
    "/professionnels-de-sante/",
]
MATRIX = [
    ("/", {"anonymous": 200, "member": 200, "technician": 200, "insurer_manager": 200}),
    ("/health/", {"anonymous": 503, "member": 503, "technician": 503, "insurer_manager": 503}),
    (LOGIN, {"anonymous": 200}),
    ("/compte/creer-mon-espace/", {"anonymous": 200}),
    ("/compte/activer-mon-espace/", {"anonymous": 200}),
    ("/compte/mot-de-passe-oublie/", {"anonymous": 200}),
    # What protects an account changes only after a re-authentication ("reauth": the page
    # "Confirmer votre identité" first; tests/test_reauth.py).
    (
        "/compte/application-authentification/",
        {"anonymous": "login", "member": "reauth", "technician": "reauth",
         "insurer_manager": "reauth"},
    ),
    *[
        (url, {"anonymous": "login", "member": "reauth", "technician": 404,
               "insurer_manager": 404})
        for url in ("/compte/mes-informations/email/", "/compte/mes-informations/telephone/",
                    "/compte/mes-informations/mot-de-passe/")
    ],
    *[
        (url, {"anonymous": "login", "member": 200, "technician": 404, "insurer_manager": 404})
        for url in MEMBER_PAGES
    ],
    ("/gestion/", {"anonymous": "login", "member": 404, "technician": 404,
                   "insurer_manager": 200}),
    ("/gestion/accounts/member/", {"anonymous": "login", "member": 404,
                                   "technician": 404, "insurer_manager": 200}),
    # The advisor's unanswered questions (issue 15): managers only.
    ("/gestion/support/unansweredquestion/", {"anonymous": "login", "member": 404,
                                              "technician": 404, "insurer_manager": 200}),
    # The back office's reads (issue 20): the journal is the data-protection role's (a
    # superuser here), member exports are for those who may read members.
    *[
        (url, {"anonymous": "login", "member": 404, "technician": 404, "insurer_manager": 200,
               "organism_manager": 404})
        for url in ("/gestion/oversight/accessentry/",
                    "/gestion/oversight/accessentry/export/csv/",
                    "/gestion/requests_app/memberrequest/export/csv/")
    ],
    ("/gestion/partners/partnerrequest/export/csv/",
     {"anonymous": "login", "member": 404, "technician": 404, "insurer_manager": 200,
      "organism_manager": 200}),
    # Espace Partenaires: "partner_client" is the technician with CPAM GIRONDE chosen;
    # "choose" is a redirect to the organism chooser (no organism chosen in the session).
    *[
        (url, {"anonymous": "login", "member": 404, "insurer_manager": 404, "technician": 200,
               "partner_manager": 200, "partner_client": 200})
        for url in (PARTNERS, f"{PARTNERS}identification/", f"{PARTNERS}manuel/")
    ],
    *[
        (url, {"anonymous": "login", "member": 404, "insurer_manager": 404,
               "technician": "choose", "partner_manager": "choose", "partner_client": 200})
        for url in (f"{PARTNERS}accueil/", f"{PARTNERS}historique/",
                    f"{PARTNERS}demande/etude-de-dossier/")
    ],
    *[
        (url, {"anonymous": "login", "member": 404, "insurer_manager": 404, "technician": 404,
               "partner_client": 404, "partner_manager": 200})
        for url in (f"{PARTNERS}techniciens/", f"{PARTNERS}techniciens/nouveau/")
    ],
]  # fmt: skip

CASES = [
    (url, persona, expected) for url, answers in MATRIX for persona, expected in answers.items()
]


def _sign_in(client, user):
    """A session that passed the second factor, as the sign-in flow leaves it."""
    client.force_login(user)
    device = CodeDevice.objects.filter(user=user, channel="email").first()
    if device is None:
        device = CodeDevice.objects.create(user=user, name="email", channel="email",
                                           target=user.email)  # fmt: skip
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.mark.parametrize(("url", "persona", "expected"), CASES)
def test_access(client, request, url, persona, expected):
    if persona == "partner_client":
        client = request.getfixturevalue("partner_client")
    elif persona != "anonymous":
        persona_object = request.getfixturevalue(persona)
        user = getattr(persona_object, "user", persona_object)
        _sign_in(client, user)
    response = client.get(url, follow=True)
    if expected == "login":
        assert response.redirect_chain, "expected a redirect to the sign-in page"
        assert response.redirect_chain[-1][0].startswith(LOGIN)
        assert response.status_code == 200
    elif expected == "reauth":
        assert response.redirect_chain, "expected a redirect to the re-authentication"
        assert response.redirect_chain[-1][0].startswith(REAUTH)
        assert response.status_code == 200
    elif expected == "choose":
        assert response.redirect_chain, "expected a redirect to the organism chooser"
        assert response.redirect_chain[-1][0] == PARTNERS
        assert response.status_code == 200
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", "login"),
        ("member", 200),
        ("other_member", 404),
        ("technician", 404),
        ("insurer_manager", 404),
    ],
)
def test_a_request_detail_opens_for_its_member_only(client, request, member, persona, expected):
    sent = member_request_submit(
        member=member, kind=RequestKind.QUESTION, by=member.user, message="Ma question"
    )
    url = f"/demandes/{sent.reference}/"
    if persona != "anonymous":
        persona_object = request.getfixturevalue(persona)
        _sign_in(client, getattr(persona_object, "user", persona_object))
    response = client.get(url, follow=True)
    if expected == "login":
        assert response.redirect_chain[-1][0].startswith(LOGIN)
    else:
        assert response.status_code == expected
        assert ("Ma question" in response.content.decode()) == (expected == 200)


def test_a_member_only_ever_changes_their_own_address(client, member, other_member):
    _sign_in(client, member.user)
    response = client.post(
        "/compte/mes-informations/adresse/",
        {
            "address_line1": "1 quai des Chartrons",
            "address_line2": "",
            "postcode": "33300",
            "city": "Bordeaux",
            # Fields a forger might add to reach another record are ignored.
            "member": other_member.pk,
            "member_number": other_member.member_number,
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    other_member.refresh_from_db()
    assert member.address_line1 == "1 quai des Chartrons"
    assert other_member.address_line1 == "12 rue des Lilas"


def test_a_member_never_sees_another_members_details(client, member, other_member):
    _sign_in(client, member.user)
    page = client.get("/compte/mes-informations/").content.decode()
    assert member.member_number in page
    assert other_member.member_number not in page
    assert other_member.email not in page
