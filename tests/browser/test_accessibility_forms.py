"""axe-core on the error state of every form of the member and partner spaces, and of the
sign-in, activation, space-creation and password-reset forms, at 375 px and on desktop (issue 14).

Each form is sent empty (its fields cleared, nothing ticked), or with an obviously wrong value
where empty is valid (the search filters), so that the error summary and the fields' errors
show; then axe runs. A form that shows no error fails the test: its error state was not seen.

Forms without an error state are left out: buttons alone ("Retirer", "Désactiver",
"Télécharger mes données", "Se déconnecter", the language switch) and searches where any text is
valid (the FAQ's, the history's and the mailbox's)."""

import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import open_partner_space
from tests.helpers.axe import axe_violations, readable
from tests.helpers.sweep import demo_objects, open_member_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "demo-guichet-2026"  # every demo account's (portal/management/commands/load_demo)
ERRORS = ".error-summary, .field-invalid, .errorlist"

# Marks the form to send: the one given by `selector`, else the first form of <main> sent by
# POST with a field to fill; clears its fields (text emptied, boxes unticked, selects on their
# empty choice when they have one).
_CLEAR_FORM = """
([selector]) => {
  const forms = selector
    ? [...document.querySelectorAll(selector)]
    : [...document.querySelectorAll("main form")].filter((form) =>
        form.method === "post" && [...form.elements].some((el) =>
          !["hidden", "submit", "button"].includes(el.type) && el.tagName !== "BUTTON"));
  const form = forms[0];
  if (!form) return false;
  form.setAttribute("data-axe-form", "");
  for (const el of form.elements) {
    const kind = el.tagName === "BUTTON" ? "button" : el.type;
    if (["hidden", "submit", "button", "file"].includes(kind)) continue;
    if (el.type === "checkbox" || el.type === "radio") el.checked = false;
    else if (el.tagName === "SELECT") {
      if ([...el.options].some((option) => option.value === "")) el.value = "";
    } else el.value = "";
  }
  return true;
}
"""


@dataclass
class Form:
    name: str
    path: object  # the page's path, or a function of the demo objects giving it
    selector: str = ""  # CSS of the form when it is not the first POST form of <main>
    before: object = None  # a function(page, objects) that brings the page to the form
    query: str = ""  # a GET form: the query string of the wrong values
    then: bool = False  # goes on from the page the form before left (a step of a flow)


def _send(page, form: Form) -> str:
    """Send the form on the page shown; "" once its errors show, else what went wrong."""
    if form.query:
        page.goto(f"{page.url.split('?')[0]}?{form.query}")
    else:
        if not page.evaluate(_CLEAR_FORM, [form.selector]):
            return "no form to send"
        page.locator("[data-axe-form]").locator(
            "button[type=submit], button:not([type]), input[type=submit]"
        ).first.click()
    try:
        page.locator(ERRORS).first.wait_for(state="attached", timeout=5_000)
    except PlaywrightError:  # a timeout: no error shown
        return f"no error shown after sending (now on {page.url})"
    return ""


def check_forms(open_page, forms: list[Form], objects: dict) -> tuple[int, list[str]]:
    """Send each form from a page of `open_page()` (the same signed-in page, or a new browser)."""
    reports = []
    for form in forms:
        path = form.path(objects) if callable(form.path) else form.path
        if not form.then:
            page = open_page()
            page.goto(path)
        if form.before:
            try:
                form.before(page, objects)
            except PlaywrightError as error:
                shown = page.locator(ERRORS).all_inner_texts()
                reports.append(
                    f"{form.name}: the form was not reached ({str(error).splitlines()[0]};"
                    f" on {page.url}, errors shown: {shown})"
                )
                continue
        problem = _send(page, form)
        if problem:
            reports.append(f"{form.name} ({path}): {problem}")
            continue
        violations = axe_violations(page)
        if violations:
            reports.append(f"{form.name} (error state) " + readable(page.url, violations))
    return len(forms), reports


FIELD = "main form input:not([type=hidden]):not([type=radio]):not([type=checkbox])"


def _fill_and_send(page, value: str):
    """Type `value` in the first field of the page's form and send it."""
    page.locator(FIELD).first.fill(value)
    page.locator("main form button").first.click()


# -- Member ------------------------------------------------------------------------------------
def _new_contact(value: str):
    def before(page, _objects):
        _fill_and_send(page, value)
        page.wait_for_url(re.compile(r"/code/$"))

    return before


def _member_forms() -> list[Form]:
    from requests_app.forms.change import CHANGES

    return [
        Form("Adresse", reverse("accounts:profile_address")),
        Form("Adresse email", reverse("accounts:profile_email")),
        Form(
            "Code de la nouvelle adresse email",
            reverse("accounts:profile_email"),
            before=_new_contact("marie.nouvelle@example.org"),
        ),
        Form("Téléphone", reverse("accounts:profile_phone")),
        Form(
            "Code du nouveau téléphone",
            reverse("accounts:profile_phone"),
            before=_new_contact("06 11 22 33 44"),
        ),
        Form("Mot de passe", reverse("accounts:profile_password")),
        Form(
            "Application d'authentification (code)",
            reverse("accounts:totp_setup"),
            before=lambda page, _o: page.get_by_role(
                "button", name="Ajouter une application"
            ).click(),
        ),
        Form("Confirmer votre identité", reverse("accounts:reauth")),
        *[
            Form(f"Demande {name}", reverse(f"requests_app:{name}"))
            for name in ("question", "document", "soft_medicine", "refund", "quote", "message")
        ],
        Form(
            "Déclarer un changement (choix)", reverse("requests_app:change"), selector="main form"
        ),
        *[
            Form(f"Changement {slug}", reverse("requests_app:change_step", args=[slug]))
            for slug in CHANGES
        ],
        Form(
            "Annuler la demande",
            lambda o: reverse("requests_app:cancel", args=[o["cancellable_request"].reference]),
        ),
        Form(
            "Répondre (demande en attente)",
            lambda o: reverse("requests_app:detail", args=[o["awaiting_request"].reference]),
        ),
        Form("Nous contacter", reverse("support:contact")),
        Form("Conseiller virtuel", reverse("support:advisor"), selector="main form.advisor-form"),
        Form("Clôture de l'espace", reverse("privacy:closure")),
        Form("Mes remboursements (période)", reverse("cover:reimbursements"), query="du=31/02/20"),
        Form("Remboursements aux tiers", reverse("cover:third_party"), query="du=31/02/20"),
        Form(
            "Professionnels de santé",
            reverse("directory:search"),
            query="specialite=&code_postal=abc",
        ),
    ]


def test_every_member_form_shows_its_errors_with_no_axe_violation(new_page, live_server):
    objects = demo_objects()
    page = open_member_space(new_page, live_server, objects["member_user"])
    count, reports = check_forms(lambda: page, _member_forms(), objects)
    assert count > 20
    assert reports == [], "\n".join(reports)


# -- Partner -----------------------------------------------------------------------------------
def _partner_forms() -> list[Form]:
    from partners.catalogue import SERVICES_BY_SLUG

    return [
        Form("Sélectionner l'organisme", reverse("partners:choose")),
        *[
            Form(f"Nouvelle demande {slug}", reverse("partners:new", args=[slug]))
            for slug in SERVICES_BY_SLUG
        ],
        Form(
            "Compléter la demande",
            lambda o: reverse("partners:complete", args=[o["partner_new"].number]),
        ),
        Form(
            "Annuler la demande",
            lambda o: reverse("partners:cancel", args=[o["partner_new"].number]),
        ),
        Form(
            "Répondre (complément demandé)",
            lambda o: reverse("partners:detail", args=[o["partner_awaiting"].number]),
            selector="form#repondre",
        ),
        Form("Nouveau technicien", reverse("partners:technician_new")),
        Form("Historique (filtres)", reverse("partners:history"), query="du=31/02/20"),
    ]


def test_every_partner_form_shows_its_errors_with_no_axe_violation(new_page, live_server):
    from partners.models import Organism

    objects = demo_objects()
    page = open_partner_space(
        new_page, live_server, objects["partner_manager"], Organism.objects.get(code="331")
    )
    count, reports = check_forms(lambda: page, _partner_forms(), objects)
    assert count > 8
    assert reports == [], "\n".join(reports)


# -- Before the spaces: sign-in, creation, activation, password reset ------------------------
def _sign_in(page, _objects):
    page.get_by_label("Identifiant").fill("100001")
    page.get_by_label(re.compile(r"^Mot de passe\b")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Me connecter").click()
    page.get_by_role("heading", name="Double authentification").wait_for()


def _anonymous_forms(outbox) -> list[Form]:
    def emailed_link(to):
        def before(page, _objects):
            page.goto(outbox.last("email", to=to).link())

        return before

    def reset_asked(page, objects):
        _fill_and_send(page, "marie.martin@example.org")
        page.wait_for_url(re.compile("/envoye/$"))
        emailed_link("marie.martin@example.org")(page, objects)

    def signed_up(page, objects):
        page.get_by_label("Numéro d'adhérent").fill("100003")
        page.get_by_label(re.compile(r"^Nom\b")).fill("Petit")
        page.get_by_label("Prénom").fill("Claire")
        page.get_by_label("Date de naissance").fill("02/01/1990")
        page.get_by_label("Adresse email").fill("claire.nouvelle@example.org")
        page.get_by_role("button", name="Envoyer").click()
        page.wait_for_url(re.compile("/demande-envoyee/$"))
        emailed_link("claire.nouvelle@example.org")(page, objects)

    def activation_started(page, _objects):
        _fill_and_send(page, "claire.petit@example.org")
        page.wait_for_url(re.compile("/reception/$"))

    # The next two go on from the step before, shown with its errors.
    def code_sent(page, _objects):
        page.locator("main form input[type=radio]").last.check()  # by email
        page.locator("main form button").first.click()
        page.wait_for_url(re.compile("/activer-mon-espace/code/$"))

    def code_typed(page, _objects):
        _fill_and_send(page, outbox.last("email", to="claire.petit@example.org").code())
        page.wait_for_url(re.compile("/mot-de-passe/$"))

    def code_asked(page, objects):
        _sign_in(page, objects)
        page.get_by_label(re.compile("Email à")).check()
        page.get_by_role("button", name="Envoyer le code").click()
        page.get_by_label("Code de sécurité").wait_for()

    login = reverse("accounts:login")
    activate = reverse("accounts:activate")
    return [
        Form("Connexion", login),
        Form("Double authentification (moyen)", login, before=_sign_in),
        Form("Double authentification (code)", login, before=code_asked),
        Form("Mot de passe oublié", reverse("accounts:password_reset")),
        Form(
            "Nouveau mot de passe (lien reçu)",
            reverse("accounts:password_reset"),
            before=reset_asked,
        ),
        Form("Créer mon espace", reverse("accounts:signup")),
        Form("Recevoir un nouveau lien", reverse("accounts:signup_resend")),
        Form("Créer mon espace (lien reçu)", reverse("accounts:signup"), before=signed_up),
        Form("Activer mon espace", activate),
        Form("Activer : réception du code", activate, before=activation_started),
        Form("Activer : code", activate, before=code_sent, then=True),
        Form("Activer : mot de passe", activate, before=code_typed, then=True),
    ]


def test_the_sign_in_creation_activation_and_reset_forms_show_their_errors_with_no_axe_violation(
    new_page, outbox
):
    objects = demo_objects()
    # A new browser for each form: a flow left half-way must not lead the next one elsewhere.
    count, reports = check_forms(lambda: new_page("/"), _anonymous_forms(outbox), objects)
    assert count > 10
    assert reports == [], "\n".join(reports)
