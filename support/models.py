from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class FaqLink(models.TextChoices):
    """Pages of the member space a FAQ answer may lead to ("do it" links of the advisor).

    URL names, resolved when shown: a page that does not exist (yet) gives no link.
    """

    CARD = "cover:card", _("Ma carte de tiers payant")
    CONTRACT = "cover:contract", _("Mon contrat")
    BENEFICIARIES = "cover:beneficiaries", _("Mes bénéficiaires")
    REIMBURSEMENTS = "cover:reimbursements", _("Mes remboursements")
    BANK_DETAILS = "cover:bank_details", _("Mes coordonnées bancaires (RIB)")
    DOCUMENT = "requests_app:document", _("Envoyer un document")
    CHANGE = "requests_app:change", _("Déclarer un changement")
    QUESTION = "requests_app:question", _("Poser une question")
    MESSAGE = "requests_app:message", _("Écrire un message")
    HISTORY = "requests_app:history", _("Échanger avec nous (historique des demandes)")
    LOCATOR = "directory:search", _("Localiser un professionnel de santé")
    CONTACT = "support:contact", _("Nous contacter")
    PROFILE = "accounts:profile", _("Mes informations personnelles")
    PASSWORD_CHANGE = "accounts:profile_password", _("Modifier mon mot de passe")
    PASSWORD_RESET = "accounts:password_reset", _("Mot de passe oublié")
    QUOTE = "requests_app:quote", _("Transmettre un devis")
    REFUND = "requests_app:refund", _("Demande de remboursement")
    SOFT_MEDICINE = "requests_app:soft_medicine", _("Médecine douce")
    ANSWERS = "requests_app:answers", _("Historique des mails")
    THIRD_PARTY = "cover:third_party", _("Remboursements aux tiers")
    CONTRACT_TERMS = "cover:contract_terms", _("Modalités de remboursement")
    SERVICES = "support:services", _("Mes services")
    MY_DATA = "privacy:my_data", _("Mes données")


class FaqTheme(models.Model):
    """Thème de la FAQ ("Carte de tiers payant", "Remboursements"...)."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thème de la FAQ")
        verbose_name_plural = _("thèmes de la FAQ")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class FaqEntry(models.Model):
    """Une question de la FAQ et sa réponse (plain text, paragraphs separated by blank lines).

    `link_url_name` and `link_label` make the "do it" link of the virtual advisor and of the
    FAQ page ("Télécharger ma carte" -> the card page).
    """

    theme = models.ForeignKey(
        FaqTheme, verbose_name=_("thème"), on_delete=models.CASCADE, related_name="entries"
    )
    question = models.CharField(_("question"), max_length=255)
    answer = models.TextField(
        _("réponse"),
        help_text=_("Texte simple : laissez une ligne vide entre deux paragraphes."),
    )
    keywords = models.TextField(
        _("autres formulations"),
        blank=True,
        help_text=_(
            "Les mots des adhérents pour cette question, séparés par des points-virgules "
            "(« carte perdue ; carte volée »). Le conseiller virtuel les lit comme la "
            "question ; ils ne sont pas affichés."
        ),
    )
    published = models.BooleanField(_("publiée"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    link_url_name = models.CharField(
        _("page liée"),
        max_length=60,
        choices=FaqLink.choices,
        blank=True,
        help_text=_("La page de l'espace adhérent qui permet de faire la démarche."),
    )
    link_label = models.CharField(
        _("texte du lien"),
        max_length=100,
        blank=True,
        help_text=_("Par exemple « Télécharger ma carte ». Par défaut, le nom de la page."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("question de la FAQ")
        verbose_name_plural = _("questions de la FAQ")
        ordering = ["theme__position", "theme__name", "position", "pk"]

    def __str__(self):
        return self.question


class UnansweredQuestion(models.Model):
    """A question the virtual advisor found no answer to, counted: what managers read to write
    new FAQ entries. One row per question as the advisor reads it (its meaningful words), so
    "Carte grise ?" and "carte grise" count together; never tied to who asked."""

    key = models.CharField(_("mots retenus"), max_length=255, unique=True)
    text = models.CharField(_("question"), max_length=500)
    count = models.PositiveIntegerField(_("nombre de fois"), default=1)
    first_asked = models.DateTimeField(_("première fois"), auto_now_add=True)
    last_asked = models.DateTimeField(_("dernière fois"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("question sans réponse")
        verbose_name_plural = _("questions sans réponse")
        ordering = ["-count", "-last_asked"]

    def __str__(self):
        return self.text


class ServicePage(models.Model):
    """Une page de « Mes services » (guide 003), edited in the admin. The body is plain text
    (paragraphs separated by blank lines): nothing typed in the admin is taken as HTML."""

    title = models.CharField(_("titre"), max_length=150)
    slug = models.SlugField(
        _("adresse"),
        max_length=80,
        unique=True,
        help_text=_("La fin de l'adresse de la page, par exemple « hospitalisation »."),
    )
    summary = models.CharField(
        _("résumé"), max_length=300, help_text=_("Affiché sur la vignette de la page.")
    )
    body = models.TextField(
        _("contenu"), help_text=_("Texte simple : laissez une ligne vide entre deux paragraphes.")
    )
    published = models.BooleanField(_("publiée"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("page de « Mes services »")
        verbose_name_plural = _("pages de « Mes services »")
        ordering = ["position", "title"]

    def __str__(self):
        return self.title


class ServiceActionKind(models.TextChoices):
    PHONE = "phone", _("Un numéro de téléphone")
    REQUEST = "request", _("Un formulaire de demande")
    GUIDE = "guide", _("Un guide à télécharger")


class ServiceRequestForm(models.TextChoices):
    """The request forms a service page may open, prefilled with a topic."""

    QUESTION = "requests_app:question", _("Poser une question")
    MESSAGE = "requests_app:message", _("Écrire un message")
    QUOTE = "requests_app:quote", _("Transmettre un devis")
    REFUND = "requests_app:refund", _("Demande de remboursement")
    DOCUMENT = "requests_app:document", _("Envoyer un document")
    CONTACT = "support:contact", _("Nous contacter")


def validate_pdf(upload) -> None:
    """A guide is a PDF, by its content (python-magic), whatever its name says."""
    import magic
    from django.core.exceptions import ValidationError

    head = upload.read(2048)
    upload.seek(0)
    if magic.from_buffer(head, mime=True) != "application/pdf":
        raise ValidationError(_("Le guide doit être un fichier PDF."))


class ServiceAction(models.Model):
    """Something to do from a "Mes services" page: call a number, open a request form with
    its topic chosen, or download a guide (a PDF), edited with the page in the admin."""

    page = models.ForeignKey(
        ServicePage, verbose_name=_("page"), on_delete=models.CASCADE, related_name="actions"
    )
    kind = models.CharField(_("type d'action"), max_length=10, choices=ServiceActionKind.choices)
    label = models.CharField(
        _("texte du bouton"), max_length=100, help_text=_("Par exemple « Appeler l'assistance »."),
    )  # fmt: skip
    phone = models.CharField(
        _("numéro de téléphone"), max_length=30, blank=True, help_text=_("Pour un numéro.")
    )
    request_form = models.CharField(
        _("formulaire"), max_length=40, choices=ServiceRequestForm.choices, blank=True
    )
    topic = models.CharField(
        _("objet prérempli"),
        max_length=40,
        blank=True,
        help_text=_(
            "Le code de l'objet choisi d'avance dans le formulaire (par exemple « hospital » "
            "pour un devis d'hospitalisation, « other » pour une question)."
        ),
    )
    guide = models.FileField(
        _("guide (PDF)"), upload_to="services/", blank=True, validators=[validate_pdf]
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("action de la page")
        verbose_name_plural = _("actions de la page")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label

    def clean(self):
        from django.core.exceptions import ValidationError

        required = {
            ServiceActionKind.PHONE: ("phone", _("Indiquez le numéro de téléphone.")),
            ServiceActionKind.REQUEST: ("request_form", _("Choisissez le formulaire.")),
            ServiceActionKind.GUIDE: ("guide", _("Joignez le guide (PDF).")),
        }.get(self.kind)
        if required and not getattr(self, required[0]):
            raise ValidationError({required[0]: required[1]})
