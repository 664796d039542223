from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from accounts.validators import validate_nir


class Civility(models.TextChoices):
    MADAME = "MME", _("Madame")
    MONSIEUR = "M", _("Monsieur")


class User(AbstractUser):
    """A web account: policyholder, partner technician or manager, or insurer manager."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Assuré")
        TECHNICIAN = "technician", _("Technicien partenaire")
        PARTNER_MANAGER = "partner_manager", _("Gestionnaire partenaire")
        INSURER_MANAGER = "insurer_manager", _("Gestionnaire de l'organisme")

    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    password_changed_at = models.DateTimeField(_("mot de passe changé le"), null=True, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_unique_ci"
            ),
        ]

    @property
    def is_member(self) -> bool:
        return self.role == self.Role.MEMBER

    @property
    def is_insurer_manager(self) -> bool:
        return self.role == self.Role.INSURER_MANAGER

    @property
    def is_partner(self) -> bool:
        """A partner technician or partner manager (guide 001's "Espace Partenaires")."""
        return self.role in (self.Role.TECHNICIAN, self.Role.PARTNER_MANAGER)


class Member(models.Model):
    """Adhérent: a policyholder record, created or imported by the insurer before any account."""

    member_number = models.CharField(_("numéro d'adhérent"), max_length=20, unique=True)
    civility = models.CharField(_("civilité"), max_length=3, choices=Civility.choices)
    last_name = models.CharField(_("nom"), max_length=60)
    first_name = models.CharField(_("prénom"), max_length=60)
    birth_date = models.DateField(_("date de naissance"))
    email = models.EmailField(_("email"), blank=True)
    mobile_phone = PhoneNumberField(_("téléphone mobile"), region="FR", blank=True)
    address_line1 = models.CharField(_("adresse"), max_length=120, blank=True)
    address_line2 = models.CharField(_("complément d'adresse"), max_length=120, blank=True)
    postcode = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("ville"), max_length=80, blank=True)
    user = models.OneToOneField(
        User,
        verbose_name=_("compte"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
    )
    activated_at = models.DateTimeField(_("espace activé le"), null=True, blank=True)
    # Guide 003 "Mes bénéficiaires": the social-security identity and NOEMIE teletransmission.
    nir = models.CharField(
        _("numéro de sécurité sociale"), max_length=15, blank=True, validators=[validate_nir]
    )
    # Rang de naissance: tells twins apart under the same social security number and birth
    # date (printed next to the NIR on the tiers-payant card).
    birth_rank = models.PositiveSmallIntegerField(
        _("rang de naissance"), default=1, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    organism_code = models.CharField(
        _("numéro d'organisme"),
        max_length=9,
        blank=True,
        help_text=_("Les 9 chiffres de la caisse d'assurance maladie."),
    )
    teletransmission = models.BooleanField(
        _("télétransmission NOEMIE"),
        default=False,
        help_text=_("Les décomptes de l'assurance maladie nous parviennent directement."),
    )
    # Guide 002: changes of a collective contract go through the employer, not this space.
    collective_contract = models.BooleanField(
        _("contrat collectif"),
        default=False,
        help_text=_("Adhésion par l'intermédiaire d'un employeur."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("adhérent")
        verbose_name_plural = _("adhérents")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.member_number} {self.last_name} {self.first_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_activated(self) -> bool:
        return self.activated_at is not None


class Beneficiary(models.Model):
    """Ayant droit: a person covered through a member's contract."""

    class Relationship(models.TextChoices):
        SPOUSE = "spouse", _("Conjoint")
        CHILD = "child", _("Enfant")
        OTHER = "other", _("Autre")

    member = models.ForeignKey(
        Member, verbose_name=_("adhérent"), on_delete=models.CASCADE, related_name="beneficiaries"
    )
    civility = models.CharField(_("civilité"), max_length=3, choices=Civility.choices)
    last_name = models.CharField(_("nom"), max_length=60)
    first_name = models.CharField(_("prénom"), max_length=60)
    birth_date = models.DateField(_("date de naissance"))
    relationship = models.CharField(
        _("lien"), max_length=10, choices=Relationship.choices, default=Relationship.CHILD
    )
    # The person's identifier in the insurer's files (imports of beneficiaries and reimbursements).
    external_ref = models.CharField(_("identifiant bénéficiaire"), max_length=30, blank=True)
    nir = models.CharField(
        _("numéro de sécurité sociale"), max_length=15, blank=True, validators=[validate_nir]
    )
    # Rang de naissance: tells twins apart under the same social security number and birth
    # date (printed next to the NIR on the tiers-payant card).
    birth_rank = models.PositiveSmallIntegerField(
        _("rang de naissance"), default=1, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    organism_code = models.CharField(
        _("numéro d'organisme"),
        max_length=9,
        blank=True,
        help_text=_("Les 9 chiffres de la caisse d'assurance maladie."),
    )
    teletransmission = models.BooleanField(_("télétransmission NOEMIE"), default=False)
    email = models.EmailField(_("email"), blank=True)
    phone = PhoneNumberField(_("téléphone"), region="FR", blank=True)
    address_line1 = models.CharField(_("adresse"), max_length=120, blank=True)
    postcode = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("ville"), max_length=80, blank=True)
    # The last day this person is covered (removed from the contract); empty while covered.
    cover_end = models.DateField(_("fin de couverture"), null=True, blank=True)

    class Meta:
        verbose_name = _("ayant droit")
        verbose_name_plural = _("ayants droit")
        ordering = ["birth_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="beneficiary_unique_external_ref",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class CodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """A channel (SMS or email) that receives one-time codes.

    Only a salted hash of the current code is stored. A new code replaces the previous one, a
    code is used once, lives OTP_CODE_VALIDITY at most and dies after OTP_MAX_ATTEMPTS failures.
    `confirmed=False` marks a channel being verified (a new email or phone), not yet usable to
    sign in.
    """

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("Email")

    channel = models.CharField(max_length=5, choices=Channel.choices)
    target = models.CharField(_("destinataire"), max_length=254)
    code_hash = models.CharField(max_length=128, blank=True)
    code_sent_at = models.DateTimeField(null=True, blank=True)
    code_valid_until = models.DateTimeField(null=True, blank=True)
    code_failures = models.PositiveSmallIntegerField(default=0)

    class Meta(Device.Meta):
        verbose_name = _("canal de code")
        verbose_name_plural = _("canaux de code")

    def get_throttle_factor(self):
        return 1

    def verify_token(self, token):
        from accounts.codes import CodeError, code_verify

        try:
            code_verify(device=self, code=token)
        except CodeError:
            return False
        return True


class AccountToken(models.Model):
    """A single-use secret sent by email: sign-up confirmation or password reset."""

    class Purpose(models.TextChoices):
        SIGNUP = "signup", _("Création de l'espace")
        PASSWORD_RESET = "reset", _("Mot de passe oublié")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "purpose"])]

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.user})"


class TrustedBrowser(models.Model):
    """A browser where the second factor was passed; the remember cookie points here."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="trusted_browsers")
    key_hash = models.CharField(max_length=64, unique=True)
    last_ip = models.GenericIPAddressField()
    verified_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    # "Se souvenir de ce navigateur" ticked: the code may be skipped here. Unticked, the row
    # only says the browser is known (no "new browser" email next time), and the code is asked.
    remembered = models.BooleanField(default=True)
    user_agent = models.CharField(max_length=300, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.user} @ {self.last_ip}"


class LoginThrottle(models.Model):
    """Consecutive sign-in failures for one identifier, known or not (same answer for both)."""

    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    blocked_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.key[:8]}… ({self.failures})"


class AccountNotice(models.Model):
    """An account email or SMS to send once: a change the holder is told about (their former
    email or phone, or their email for a new password), or a single-use link asked for (the
    sign-up link, the "Mot de passe oublié" link). Claimed before the exchange with the relay,
    `sent_at` recorded after (the send-once guard). A link's row keeps no secret: the link is
    made when the email is sent, for the account's email at that time."""

    class Kind(models.TextChoices):
        EMAIL_CHANGED = "email_changed"
        PHONE_CHANGED = "phone_changed"
        PASSWORD_CHANGED = "password_changed"  # noqa: S105 - a kind of notice, not a secret
        SIGNUP_LINK = "signup_link"
        PASSWORD_RESET_LINK = "password_reset_link"  # noqa: S105 - a kind, not a secret
        NEW_BROWSER = "new_browser"
        SPACE_CREATED = "space_created"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.CharField(max_length=254)
    # What the email tells (a sign-in: when, which browser, the address's first bytes).
    details = models.JSONField(default=dict, blank=True)
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="notices"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Claimed (committed) by the worker sending it, before the exchange with the relay.
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The catch-up job: only the notices not sent yet are indexed.
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="accountnotice_unsent",
            ),
        ]

    def __str__(self):
        return f"{self.kind} ({self.user})"


class SignInRecord(models.Model):
    """Trace of a sign-in or of a code sent to an account (journal de connexion): shown in the
    member's data export, kept RETENTION["signin_records"] (1 year), then deleted."""

    class Kind(models.TextChoices):
        SIGNIN = "signin", _("Connexion")
        CODE_SENT = "code_sent", _("Code envoyé")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signin_records")
    kind = models.CharField(_("événement"), max_length=10, choices=Kind.choices)
    # The code's channel ("sms", "email") or the second factor used to sign in ("totp"...).
    channel = models.CharField(_("canal"), max_length=10, blank=True)
    ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    at = models.DateTimeField(_("le"))

    class Meta:
        verbose_name = _("trace de connexion")
        verbose_name_plural = _("traces de connexion")
        indexes = [
            models.Index(fields=["user", "at"], name="signinrecord_user"),
            models.Index(fields=["at"], name="signinrecord_at"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.at:%Y-%m-%d %H:%M}"


class GuardState(models.Model):
    """The state of a limit that must hold whatever the cache does, keyed by a digest (never the
    typed value): the sign-up mismatches of one member number, the activation code asked for
    one email and channel (known or not, so that no answer tells them apart). A row stays until
    `expires_at`; the hourly purge deletes it after."""

    key = models.CharField(max_length=120, unique=True)
    state = models.JSONField(default=dict)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.key[:40]


class SessionActivity(models.Model):
    """What "Mes appareils et sessions" shows of an open session: its browser, the first bytes
    of its address and its last use (written at most once a minute, accounts.sessions). The
    session itself lives in the session engine; a row whose session is gone is stale."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="session_activities")
    user_agent = models.CharField(max_length=300, blank=True)
    ip_prefix = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "last_seen_at"], name="sessionactivity_user")]

    def __str__(self):
        return f"{self.user} · {self.last_seen_at:%Y-%m-%d %H:%M}"
