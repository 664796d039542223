"""Bulk loads of the insurer's files (CSV), one module per kind of file.

- `members`: adhérents (key: member_number), created or updated;
- `beneficiaries`: ayants droit (key: member_number + external_ref), created or updated;
- `guarantees`: formules and their guarantee lines (keys: product_code; product_code + label);
- `contracts`: contracts (key: number), with their options;
- `reimbursements`: one line per reimbursed act (key: external_id), grouped into payments.

`base` holds what they share (reading, value readers, the report); `command` the management
command they are run through (`manage.py import_<kind> FILE [--strict]`). The formats are
described in the README ("Imports CSV").
"""
