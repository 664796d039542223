"""The insurer's CSV imports (manage.py import_*): what they load, what they reject and why."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Beneficiary, Member
from cover.models import Contract, Guarantee, OptionalCover, Payment, Product, Reimbursement
from tests.factories import BeneficiaryFactory, MemberFactory, ProductFactory, make_payment

pytestmark = pytest.mark.django_db

REIMBURSEMENT_COLUMNS = (
    "external_id;payment_number;payment_date;payee_kind;payee_name;member_number;beneficiary_ref;"
    "care_date;care_type;act;practitioner;real_cost;ss_base;ss_share;insurer_share"
)
VALID_NIR = "2 80 05 33 123 456 44"
WRONG_KEY_NIR = "1 80 05 33 123 456 00"


def _import(tmp_path, command, lines, *args, encoding="utf-8", bom=False):
    """Run `command` on a file made of `lines` (header first); its printed report."""
    path = tmp_path / f"{command}.csv"
    text = "\n".join(lines) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    out = io.StringIO()
    call_command(command, str(path), *args, stdout=out)
    return out.getvalue()


def _act(external_id, **values):
    """One reimbursement line: a consultation of the member 100001, paid on 10/03/2025."""
    line = {
        "external_id": external_id,
        "payment_number": "PAI-1",
        "payment_date": "10/03/2025",
        "payee_kind": "adherent",
        "payee_name": "",
        "member_number": "100001",
        "beneficiary_ref": "",
        "care_date": "03/03/2025",
        "care_type": "consultation",
        "act": "Consultation médecin généraliste",
        "practitioner": "Dr Jeanne LEROY",
        "real_cost": "30,00",
        "ss_base": "30,00",
        "ss_share": "18,00",
        "insurer_share": "10,00",
    }
    line.update(values)
    return ";".join(line[name] for name in REIMBURSEMENT_COLUMNS.split(";"))


@pytest.fixture
def adherent(db):
    """Member 100001, with Lucas (AD01) as beneficiary; member 100002 besides."""
    member = MemberFactory(member_number="100001", first_name="Marie", last_name="MARTIN")
    BeneficiaryFactory(member=member, first_name="Lucas", external_ref="AD01")
    MemberFactory(member_number="100002", first_name="Jean", last_name="DUPONT")
    return member


# -- Reimbursements -----------------------------------------------------------------------------
def test_it_loads_acts_into_payments_whose_amount_is_the_insurers_share(tmp_path, adherent):
    output = _import(
        tmp_path,
        "import_reimbursements",
        [
            REIMBURSEMENT_COLUMNS,
            _act("L1"),
            _act("L2", beneficiary_ref="AD01", care_type="Pharmacie", insurer_share="4,5"),
            _act(
                "L3",
                payment_number="PAI-2",
                payment_date="2025-04-02",
                payee_kind="professionnel",
                payee_name="Pharmacie du Centre",
                care_date="2025-03-28",
                care_type="pharmacy",
                real_cost="1 234.50",
                ss_base="1000",
                ss_share="650.00",
                insurer_share="350",
            ),
        ],
    )

    assert "lues : 3, créées : 3, mises à jour : 0, déjà chargées : 0, rejetées : 0." in output
    first, second = Payment.objects.order_by("number")
    assert (first.number, first.amount, first.payee_name) == (
        "PAI-1",
        Decimal("14.50"),
        "Marie MARTIN",
    )
    assert first.payment_date == datetime.date(2025, 3, 10)
    assert second.is_third_party and second.payee_name == "Pharmacie du Centre"
    assert second.amount == Decimal("350.00")
    lucas = Reimbursement.objects.get(external_id="L2")
    assert lucas.beneficiary.first_name == "Lucas" and lucas.care_type == "pharmacy"
    big = Reimbursement.objects.get(external_id="L3")
    assert big.real_cost == Decimal("1234.50") and big.care_date == datetime.date(2025, 3, 28)
    assert big.member == adherent and big.beneficiary is None


def test_running_the_same_file_again_loads_nothing_twice(tmp_path, adherent):
    lines = [REIMBURSEMENT_COLUMNS, _act("L1"), _act("L2", insurer_share="5,00")]
    _import(tmp_path, "import_reimbursements", lines)

    again = _import(tmp_path, "import_reimbursements", lines)

    assert "lues : 2, créées : 0, mises à jour : 0, déjà chargées : 2, rejetées : 0" in again
    assert Reimbursement.objects.count() == 2
    assert Payment.objects.get().amount == Decimal("15.00")


def test_it_rejects_each_bad_line_with_its_line_number_and_reason(tmp_path, adherent):
    output = _import(
        tmp_path,
        "import_reimbursements",
        [
            REIMBURSEMENT_COLUMNS,
            _act("L1"),  # line 2, fine
            _act("L3", insurer_share="-10,00"),
            _act("L4", member_number="999999"),
            _act("L5", beneficiary_ref="AD99"),
            _act("L6", real_cost="10,00", insurer_share="30,00", ss_share="0", ss_base="0"),
            _act("L7", care_date="31/02/2025"),
            _act("L8", care_date="12/03/2025"),
            _act("L9", care_type="chiropractie"),
            _act("L10", payment_number="PAI-1", member_number="100002"),
            _act("L1"),  # line 11, the same line twice
            _act("L12", ss_share="25,00", ss_base="20,00"),
            _act("L13", real_cost="abc"),
        ],
    )

    assert "ligne 3 : montant négatif pour part complémentaire" in output
    assert "ligne 4 : adhérent 999999 inconnu" in output
    assert "ligne 5 : bénéficiaire AD99 inconnu pour l'adhérent 100001" in output
    assert (
        "ligne 6 : parts Sécurité sociale et complémentaire (30,00 €) supérieures aux frais "
        "réels (10,00 €)" in output
    )
    assert (
        "ligne 7 : date illisible pour date des soins (« 31/02/2025 ») : jj/mm/aaaa ou "
        "aaaa-mm-jj" in output
    )
    assert (
        "ligne 8 : date des soins (12/03/2025) postérieure à la date de paiement (10/03/2025)"
        in output
    )
    assert "ligne 9 : valeur « chiropractie » inconnue pour type de soins" in output
    assert "ligne 10 : paiement PAI-1 déjà attribué à l'adhérent 100001 (ligne 2)" in output
    assert "ligne 11 : identifiant de ligne L1 déjà présent ligne 2" in output
    assert (
        "ligne 12 : part Sécurité sociale (25,00 €) supérieure à la base de remboursement "
        "(20,00 €)" in output
    )
    assert "ligne 13 : montant illisible pour frais réels (« abc »)" in output
    assert "lues : 12, créées : 1, mises à jour : 0, déjà chargées : 0, rejetées : 11" in output
    assert list(Reimbursement.objects.values_list("external_id", flat=True)) == ["L1"]
    assert Payment.objects.get().amount == Decimal("10.00")


def test_a_line_gives_all_its_problems_at_once(tmp_path, adherent):
    output = _import(
        tmp_path,
        "import_reimbursements",
        [REIMBURSEMENT_COLUMNS, _act("L1", member_number="999999", real_cost="-1")],
    )

    assert "ligne 2 : montant négatif pour frais réels ; adhérent 999999 inconnu" in output


def test_a_payment_number_of_another_member_in_the_database_is_refused(tmp_path, adherent):
    other = Member.objects.get(member_number="100002")
    make_payment(other, number="PAI-1")

    output = _import(tmp_path, "import_reimbursements", [REIMBURSEMENT_COLUMNS, _act("L1")])

    assert "ligne 2 : paiement PAI-1 déjà attribué à l'adhérent 100002 (déjà chargé)" in output
    assert not Reimbursement.objects.filter(external_id="L1").exists()


def test_new_lines_of_a_loaded_payment_recompute_its_amount(tmp_path, adherent):
    payment = make_payment(adherent, number="PAI-7", payment_date=datetime.date(2025, 3, 10))
    assert payment.amount == Decimal("10.00")

    output = _import(
        tmp_path,
        "import_reimbursements",
        [REIMBURSEMENT_COLUMNS, _act("L1", payment_number="PAI-7", insurer_share="5,50")],
    )

    assert "créées : 1," in output
    payment.refresh_from_db()
    assert payment.lines.count() == 2
    assert payment.amount == Decimal("15.50")


def test_a_line_must_agree_with_its_loaded_payment(tmp_path, adherent):
    make_payment(adherent, number="PAI-7", payment_date=datetime.date(2025, 3, 10))

    output = _import(
        tmp_path,
        "import_reimbursements",
        [REIMBURSEMENT_COLUMNS, _act("L1", payment_number="PAI-7", payment_date="11/03/2025")],
    )

    assert "ligne 2 : paiement PAI-7 : date de paiement différente (10/03/2025, déjà chargé)" in (
        output
    )


def test_strict_loads_nothing_when_one_line_is_rejected(tmp_path, adherent):
    path = tmp_path / "remboursements.csv"
    path.write_text(
        "\n".join([REIMBURSEMENT_COLUMNS, _act("L1"), _act("L2", member_number="999999")]),
        encoding="utf-8",
    )
    out = io.StringIO()

    with pytest.raises(
        CommandError, match="Rien n'a été chargé \\(--strict\\) : lignes rejetées : 1"
    ):
        call_command("import_reimbursements", str(path), "--strict", stdout=out)

    assert "ligne 3 : adhérent 999999 inconnu" in out.getvalue()
    assert not Reimbursement.objects.exists() and not Payment.objects.exists()


def test_a_missing_column_stops_the_import_before_anything_loads(tmp_path, adherent):
    header = REIMBURSEMENT_COLUMNS.removesuffix(";insurer_share")
    line = _act("L1").rsplit(";", 1)[0]

    with pytest.raises(CommandError, match="colonne\\(s\\) manquante\\(s\\) : insurer_share"):
        _import(tmp_path, "import_reimbursements", [header, line])

    assert not Reimbursement.objects.exists()


def test_an_unknown_column_stops_the_import(tmp_path, adherent):
    with pytest.raises(CommandError, match="colonne\\(s\\) inconnue\\(s\\) : remarque"):
        _import(
            tmp_path,
            "import_reimbursements",
            [REIMBURSEMENT_COLUMNS + ";remarque", _act("L1") + ";urgent"],
        )

    assert not Reimbursement.objects.exists()


def test_a_file_with_a_bom_and_a_line_with_missing_fields(tmp_path, adherent):
    output = _import(
        tmp_path,
        "import_reimbursements",
        [REIMBURSEMENT_COLUMNS, _act("L1"), "L2;PAI-2;10/03/2025"],
        bom=True,
    )

    assert "ligne 3 : 3 champs au lieu de 15" in output
    assert Reimbursement.objects.get().external_id == "L1"


def test_a_file_not_in_utf8_is_refused_clearly(tmp_path, adherent):
    with pytest.raises(CommandError, match="n'est pas encodé en UTF-8"):
        _import(
            tmp_path,
            "import_reimbursements",
            [REIMBURSEMENT_COLUMNS, _act("L1", act="Consultation spécialiste")],
            encoding="latin-1",
        )


# -- Members ------------------------------------------------------------------------------------
MEMBER_COLUMNS = (
    "member_number;civility;last_name;first_name;birth_date;email;phone;address_line1;"
    "postcode;city;nir;organism_code;teletransmission;collective"
)


def test_it_creates_and_updates_members(tmp_path, adherent):
    lines = [
        MEMBER_COLUMNS,
        f"100001;MME;MARTIN;Marie;17/05/1980;marie@example.org;06 12 34 56 78;3 rue Neuve;"
        f"33800;Bordeaux;{VALID_NIR};331000000;oui;non",
        "100777;Monsieur;PETIT;Jean;1971-10-10;;;;;;;;non;oui",
    ]

    output = _import(tmp_path, "import_members", lines)

    assert "lues : 2, créées : 1, mises à jour : 1, déjà chargées : 0, rejetées : 0" in output
    adherent.refresh_from_db()
    assert adherent.address_line1 == "3 rue Neuve" and adherent.postcode == "33800"
    assert adherent.nir == "280053312345644" and adherent.organism_code == "331000000"
    assert adherent.teletransmission is True and adherent.email == "marie@example.org"
    new = Member.objects.get(member_number="100777")
    assert (new.civility, new.birth_date) == ("M", datetime.date(1971, 10, 10))
    assert new.collective_contract is True and new.user is None

    again = _import(tmp_path, "import_members", lines)

    assert "créées : 0, mises à jour : 0, déjà chargées : 2, rejetées : 0" in again


def test_a_member_with_a_wrong_nir_key_is_rejected(tmp_path, adherent):
    output = _import(
        tmp_path,
        "import_members",
        [
            MEMBER_COLUMNS,
            "100777;M;PETIT;Jean;10/10/1971;;;;;;;;;",
            f"100778;M;PETIT;Luc;10/10/1972;;;;;;{WRONG_KEY_NIR};;;",
            "100779;X;PETIT;Léo;10/10/2090;jean@;0612;;;;1234;12;peut-être;",
        ],
    )

    assert (
        "ligne 3 : clé du numéro de sécurité sociale invalide (NIR 1 80 05 33 123 456 00)" in output
    )
    rejected = next(line for line in output.splitlines() if line.startswith("ligne 4 :"))
    for reason in [
        "civilité « X » inconnue",
        "date de naissance dans le futur (10/10/2090)",
        "email invalide (« jean@ »)",
        "téléphone invalide (« 0612 »)",
        "numéro de sécurité sociale invalide",
        "numéro d'organisme invalide : 9 chiffres attendus (« 12 »)",
        "valeur « peut-être » inconnue pour télétransmission",
    ]:
        assert reason in rejected
    assert list(
        Member.objects.filter(last_name="PETIT").values_list("member_number", flat=True)
    ) == ["100777"]


def test_a_column_left_out_leaves_the_field_as_it_is(tmp_path, adherent):
    _import(
        tmp_path,
        "import_members",
        [
            "member_number;civility;last_name;first_name;birth_date",
            "100001;MME;MARTIN;Marie;17/05/1980",
        ],
    )

    adherent.refresh_from_db()
    assert adherent.city == "Bordeaux" and adherent.email


# -- Beneficiaries ------------------------------------------------------------------------------
BENEFICIARY_COLUMNS = (
    "member_number;external_ref;civility;last_name;first_name;birth_date;relationship;nir;"
    "organism_code;teletransmission;cover_end"
)


def test_it_creates_and_updates_beneficiaries(tmp_path, adherent):
    output = _import(
        tmp_path,
        "import_beneficiaries",
        [
            BENEFICIARY_COLUMNS,
            "100001;AD01;M;MARTIN;Lucas;01/03/2012;Enfant;;;oui;31/12/2025",
            f"100001;AD02;MME;MARTIN;Léa;2015-06-01;child;{VALID_NIR};331000000;non;",
            "999999;AD01;M;INCONNU;Paul;01/03/2012;child;;;;",
            f"100001;AD03;MME;MARTIN;Zoé;01/06/2016;fille;{WRONG_KEY_NIR};;;",
        ],
    )

    assert "ligne 4 : adhérent 999999 inconnu" in output
    assert (
        "ligne 5 : valeur « fille » inconnue pour lien ; clé du numéro de sécurité sociale "
        "invalide (NIR 1 80 05 33 123 456 00)" in output
    )
    assert "lues : 4, créées : 1, mises à jour : 1, déjà chargées : 0, rejetées : 2" in output
    lucas = Beneficiary.objects.get(member=adherent, external_ref="AD01")
    assert lucas.teletransmission and lucas.cover_end == datetime.date(2025, 12, 31)
    lea = Beneficiary.objects.get(member=adherent, external_ref="AD02")
    assert lea.nir == "280053312345644" and lea.birth_date == datetime.date(2015, 6, 1)


# -- Guarantees and contracts -------------------------------------------------------------------
def test_it_loads_formules_guarantees_and_contracts(tmp_path, adherent):
    OptionalCover.objects.create(code="DENT+", name="Renfort dentaire", monthly_price="9.90")
    guarantee_lines = (
        "product_code;product_name;product_level;care_type;label;coverage;card_code;card_value",
        "ESS3;Santé Essentielle;Niveau 3;consultation;Généraliste;150 % BR;MED;150",
        "ESS3;Santé Essentielle;Niveau 3;Pharmacie;Médicaments;100 % BR;PHAR;100/100",
        "ESS3;Santé Essentielle;Niveau 4;optics;Lunettes;250 € par an;OPTI;OUI",
    )
    guarantees = _import(tmp_path, "import_guarantees", guarantee_lines)

    assert "ligne 4 : formule ESS3 décrite autrement ligne 2" in guarantees
    assert "lues : 3, créées : 2, mises à jour : 0, déjà chargées : 0, rejetées : 1" in guarantees
    product = Product.objects.get(code="ESS3")
    assert str(product) == "Santé Essentielle Niveau 3"
    assert [g.label for g in product.guarantees.all()] == [
        "Généraliste",
        "Médicaments",
    ]

    contract_lines = (
        "number;member_number;product_code;kind;company_name;company_siret;start_date;"
        "end_date;options",
        "CT-1;100001;ESS3;individuel;;;01/01/2024;;DENT+",
        "CT-2;100002;ESS3;collectif;;;01/01/2024;;",
        "CT-3;100002;NOPE;individuel;;;01/01/2024;31/12/2023;SOINS",
        "CT-4;100002;ESS3;Collectif;ACME;73282932000074;01/01/2024;;",
    )
    contracts = _import(tmp_path, "import_contracts", contract_lines)

    assert "ligne 3 : société manquante pour un contrat collectif" in contracts
    assert (
        "ligne 4 : formule NOPE inconnue ; date de radiation antérieure à la date d'entrée ; "
        "option SOINS inconnue" in contracts
    )
    contract = Contract.objects.get(number="CT-1")
    assert contract.member == adherent and [o.code for o in contract.options.all()] == ["DENT+"]
    collective = Contract.objects.get(number="CT-4")
    assert collective.is_collective and collective.company_siret == "73282932000074"
    # The member space sends a member covered by a collective contract to their employer.
    assert Member.objects.get(member_number="100002").collective_contract
    assert not Member.objects.get(member_number="100001").collective_contract

    guarantees_again = _import(tmp_path, "import_guarantees", guarantee_lines)
    contracts_again = _import(tmp_path, "import_contracts", contract_lines)

    assert "créées : 0, mises à jour : 0, déjà chargées : 2, rejetées : 1" in guarantees_again
    assert "créées : 0, mises à jour : 0, déjà chargées : 2, rejetées : 2" in contracts_again


def test_a_contract_changes_by_its_number_and_never_changes_member(tmp_path, adherent):
    product = ProductFactory(code="ESS3")
    Contract.objects.create(
        number="CT-1", member=adherent, product=product, start_date=datetime.date(2024, 1, 1)
    )
    header = "number;member_number;product_code;kind;start_date;end_date"

    output = _import(
        tmp_path,
        "import_contracts",
        [
            header,
            "CT-1;100001;ESS3;individuel;01/01/2024;30/06/2025",
            "CT-1;100002;ESS3;individuel;01/01/2024;",
        ],
    )

    assert "ligne 3 : contrat CT-1 déjà attribué à l'adhérent 100001" in output
    assert Contract.objects.get().end_date == datetime.date(2025, 6, 30)
    assert Guarantee.objects.filter(product=product).count() == 6
