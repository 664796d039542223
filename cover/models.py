"""The insurer's reference data about a member's cover (guides 002 and 003).

Managers create and correct it in the admin and load it in bulk from CSV files
(`cover/imports/`); members only read it. Every change a member wants (an option, a
beneficiary, teletransmission, bank details) is a request to the insurer (`requests_app`), never
an edit of these rows.
"""

import uuid
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Beneficiary, Member


class CareType(models.TextChoices):
    """Types de soins: how reimbursements are grouped, searched and summed."""

    CONSULTATION = "consultation", _("Consultations et visites")
    PHARMACY = "pharmacy", _("Pharmacie")
    LAB = "lab", _("Analyses et radiologie")
    PARAMEDICAL = "paramedical", _("Auxiliaires médicaux")
    DENTAL = "dental", _("Dentaire")
    OPTICS = "optics", _("Optique")
    AUDIO = "audio", _("Aides auditives")
    HOSPITAL = "hospital", _("Hospitalisation")
    DEVICES = "devices", _("Appareillage")
    SOFT_MEDICINE = "soft_medicine", _("Médecine douce")


class Product(models.Model):
    """Une formule: the guarantees a contract gives, at one level."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("nom de la formule"), max_length=120)
    level = models.CharField(
        _("niveau"), max_length=60, blank=True, help_text=_("Par exemple « Niveau 3 ».")
    )
    description = models.TextField(_("description"), blank=True)
    # Contrat solidaire et responsable: the card carries an "R".
    responsible = models.BooleanField(
        _("contrat responsable"),
        default=True,
        help_text=_("Le contrat respecte le cahier des charges du contrat responsable."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("formule")
        verbose_name_plural = _("formules")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} {self.level}".strip()


class Guarantee(models.Model):
    """One line of the tableau des garanties: what a care is reimbursed, and how."""

    product = models.ForeignKey(
        Product, verbose_name=_("formule"), on_delete=models.CASCADE, related_name="guarantees"
    )
    care_type = models.CharField(_("type de soins"), max_length=20, choices=CareType.choices)
    label = models.CharField(_("garantie"), max_length=160)
    # What the line pays, as printed in the table: "150 % BR", "100 % FR", "200 € par an"...
    coverage = models.CharField(_("remboursement"), max_length=120)
    # "Modalités de remboursement": how it is paid (tiers payant, documents to send, ceilings).
    terms = models.TextField(_("modalités de remboursement"), blank=True)
    # On the tiers-payant card: the domain code and what it says ("PHAR" "100/100").
    card_code = models.CharField(_("code carte"), max_length=8, blank=True)
    card_value = models.CharField(_("mention carte"), max_length=20, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("garantie")
        verbose_name_plural = _("garanties")
        ordering = ["product", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "label"], name="guarantee_unique_label"),
        ]

    def __str__(self):
        return f"{self.label} : {self.coverage}"


class OptionalCover(models.Model):
    """An option a member may ask to add to their contract (guide 003), priced by the admin."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    monthly_price = models.DecimalField(_("prix mensuel (EUR)"), max_digits=7, decimal_places=2)
    active = models.BooleanField(_("proposée"), default=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("option facultative")
        verbose_name_plural = _("options facultatives")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class ContractKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individuel")
    COLLECTIVE = "collective", _("Collectif")


class Contract(models.Model):
    """A member's health contract: its formule, its dates, and the company of a collective one."""

    number = models.CharField(_("numéro de contrat"), max_length=30, unique=True)
    member = models.ForeignKey(
        Member, verbose_name=_("adhérent"), on_delete=models.CASCADE, related_name="contracts"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("formule"), on_delete=models.PROTECT, related_name="contracts"
    )
    kind = models.CharField(
        _("type de contrat"),
        max_length=12,
        choices=ContractKind.choices,
        default=ContractKind.INDIVIDUAL,
    )
    company_name = models.CharField(_("société"), max_length=160, blank=True)
    company_siret = models.CharField(_("SIRET de la société"), max_length=14, blank=True)
    # Who a member of a collective contract asks for the changes the employer makes.
    company_contact = models.CharField(
        _("contact chez l'employeur"),
        max_length=200,
        blank=True,
        help_text=_("Service, téléphone ou adresse email, montré à l'adhérent."),
    )
    start_date = models.DateField(_("date d'entrée"))
    # Date de radiation: the last day of cover.
    end_date = models.DateField(_("date de radiation"), null=True, blank=True)
    options = models.ManyToManyField(
        OptionalCover, verbose_name=_("options souscrites"), blank=True, related_name="contracts"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contrat")
        verbose_name_plural = _("contrats")
        ordering = ["-start_date"]

    def __str__(self):
        return self.number

    @property
    def is_collective(self) -> bool:
        return self.kind == ContractKind.COLLECTIVE

    def covers_on(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    @property
    def is_active(self) -> bool:
        return self.covers_on(timezone.localdate())


class BankDetails(models.Model):
    """The account where the member's reimbursements are paid (RIB)."""

    member = models.OneToOneField(
        Member, verbose_name=_("adhérent"), on_delete=models.CASCADE, related_name="bank_details"
    )
    holder = models.CharField(_("titulaire du compte"), max_length=120)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("coordonnées bancaires")
        verbose_name_plural = _("coordonnées bancaires")

    def __str__(self):
        return f"{self.member} {self.iban_masked}"

    @property
    def iban_masked(self) -> str:
        """FR76 •••• •••• •••• •••• ••89 123: the country, the check digits and the last 5."""
        compact = self.iban.replace(" ", "")
        hidden = compact[:4] + "•" * (len(compact) - 9) + compact[-5:]
        return " ".join(hidden[i : i + 4] for i in range(0, len(hidden), 4))


class PayeeKind(models.TextChoices):
    MEMBER = "member", _("Adhérent")
    PROFESSIONAL = "professional", _("Professionnel de santé")


class Payment(models.Model):
    """Un paiement: what the insurer paid at once to the member or, in tiers payant, to a
    professional. Its lines are the reimbursed acts; its statement (décompte) is a PDF."""

    number = models.CharField(_("numéro de paiement"), max_length=30, unique=True)
    member = models.ForeignKey(
        Member, verbose_name=_("adhérent"), on_delete=models.CASCADE, related_name="payments"
    )
    payment_date = models.DateField(_("date de paiement"))
    payee_kind = models.CharField(
        _("bénéficiaire du paiement"),
        max_length=12,
        choices=PayeeKind.choices,
        default=PayeeKind.MEMBER,
    )
    # The member's name, or the professional's or establishment's in tiers payant.
    payee_name = models.CharField(_("payé à"), max_length=160)
    # The insurer's share of its lines: kept in step by the import and the admin.
    amount = models.DecimalField(
        _("montant payé (EUR)"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )

    class Meta:
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        ordering = ["-payment_date", "-pk"]
        indexes = [
            # "Mes remboursements": a period's payments, their number and total from the
            # index alone.
            models.Index(
                fields=["member", "payee_kind", "-payment_date"],
                include=["id", "amount"],
                name="payment_member_date",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_third_party(self) -> bool:
        return self.payee_kind == PayeeKind.PROFESSIONAL


class Reimbursement(models.Model):
    """One reimbursed act (une prestation), as the insurer's system sent it."""

    # The line's identifier in the insurer's file: loading the same file twice adds nothing.
    external_id = models.CharField(_("identifiant de ligne"), max_length=40, unique=True)
    payment = models.ForeignKey(
        Payment, verbose_name=_("paiement"), on_delete=models.CASCADE, related_name="lines"
    )
    # Denormalised from the payment: the member's summaries read one index, not a join.
    member = models.ForeignKey(
        Member,
        verbose_name=_("adhérent"),
        on_delete=models.CASCADE,
        related_name="reimbursements",
    )
    # Null when the care was the member's own.
    beneficiary = models.ForeignKey(
        Beneficiary,
        verbose_name=_("bénéficiaire des soins"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reimbursements",
    )
    care_date = models.DateField(_("date des soins"))
    care_type = models.CharField(_("type de soins"), max_length=20, choices=CareType.choices)
    act = models.CharField(_("acte"), max_length=160)
    practitioner = models.CharField(_("professionnel de santé"), max_length=160, blank=True)
    real_cost = models.DecimalField(_("frais réels"), max_digits=10, decimal_places=2)
    ss_base = models.DecimalField(
        _("base de remboursement"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    ss_share = models.DecimalField(
        _("part Sécurité sociale"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    insurer_share = models.DecimalField(
        _("part complémentaire"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )

    class Meta:
        verbose_name = _("remboursement")
        verbose_name_plural = _("remboursements")
        ordering = ["-care_date", "pk"]
        indexes = [
            models.Index(fields=["member", "care_date"], name="reimbursement_member_care"),
            # The payments search by person or type of care: the matching lines' payments from
            # the index alone.
            models.Index(
                fields=["member", "beneficiary", "care_type"],
                include=["payment"],
                name="reimbursement_search",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(real_cost__gte=0)
                & models.Q(ss_base__gte=0)
                & models.Q(ss_share__gte=0)
                & models.Q(insurer_share__gte=0),
                name="reimbursement_amounts_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.external_id} {self.act}"

    @property
    def remaining(self) -> Decimal:
        """Reste à charge: what the member paid that no one reimbursed."""
        return max(self.real_cost - self.ss_share - self.insurer_share, Decimal("0.00"))


class StatementExport(models.Model):
    """The statements of a long period, built in the background (a Celery job) as one PDF the
    member downloads from their space; kept STATEMENT_EXPORT_HOURS, never emailed."""

    class State(models.TextChoices):
        QUEUED = "queued", _("En attente")
        RUNNING = "running", _("En préparation")
        READY = "ready", _("Prêt")
        FAILED = "failed", _("Échec")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    start = models.DateField(_("du"))
    end = models.DateField(_("au"))
    third_party = models.BooleanField(_("remboursements aux tiers"), default=False)
    # The search's person (`selectors.Person.key`, "" for everyone) and type of care.
    person_key = models.CharField(_("bénéficiaire"), max_length=20, blank=True)
    care_type = models.CharField(_("type de soins"), max_length=20, blank=True)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default="queued")
    payments = models.PositiveIntegerField(_("paiements"), default=0)
    pages = models.PositiveIntegerField(_("pages prêtes"), default=0)
    file = models.FileField(_("fichier"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    finished_at = models.DateTimeField(_("prêt le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("supprimé le"))

    class Meta:
        verbose_name = _("relevés d'une période")
        verbose_name_plural = _("relevés des périodes")
        indexes = [models.Index(fields=["expires_at"], name="statementexport_expiry")]

    def __str__(self):
        return f"{self.member_id} · {self.start} → {self.end}"
