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
