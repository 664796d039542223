"""`statements_pdf`: "Télécharger tous les relevés de la période" for the bench member (about
2,000 reimbursement lines over 5 years, among 5,000,000).

    statements_pdf year_p50_ms=… year_payments=… five_years=job job_seconds=… job_payments=…

- year_p50_ms: the PDF of the last year's statements, built in the request (through gunicorn,
  median of RUNS downloads); target < 500;
- five_years: what asking for 5 years does: "job" when the page hands it to the background job
  (a redirect to the page that follows it), "inline" otherwise;
- job_seconds: the job's own time to build those 5 years (run here, in-process).
"""

import statistics
import time
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from bench.data_cover import cover_dataset
from bench.measure import format_line, ms
from bench.server import gunicorn_server, member_cookies
from cover.exports import statement_export_build
from cover.models import StatementExport
from cover.selectors import member_payments

NAME = "statements_pdf"
RUNS = 5


def run() -> str:
    data = cover_dataset()
    user = User.objects.get(pk=data.user_id)
    today = timezone.localdate()
    year = f"du={(today - timedelta(days=365)):%d/%m/%Y}&au={today:%d/%m/%Y}"
    five = f"du={(today - timedelta(days=5 * 365 - 2)):%d/%m/%Y}&au={today:%d/%m/%Y}"
    with gunicorn_server() as server:
        browser = server.browser(member_cookies(user))
        try:
            times = []
            for _ in range(RUNS + 1):
                status, body, seconds = browser.get(f"/remboursements/releves.pdf?{year}")
                if status != 200 or not body.startswith(b"%PDF"):
                    raise RuntimeError(f"the year's statements answered {status}")
                times.append(seconds)
            status, _body, _seconds = browser.get(f"/remboursements/releves.pdf?{five}")
        finally:
            browser.close()
    five_years = "job" if status == 302 else "inline"
    export = StatementExport.objects.filter(member__user=user).order_by("-created_at").first()
    started = time.perf_counter()
    statement_export_build(export_id=export.pk)
    job_seconds = time.perf_counter() - started
    export.refresh_from_db()
    export.file.delete(save=False)
    StatementExport.objects.filter(member__user=user).delete()
    member = user.member
    return format_line(
        NAME,
        year_p50_ms=ms(statistics.median(times[1:])),
        year_payments=member_payments(member)
        .filter(payment_date__gte=today - timedelta(days=365))
        .count(),
        five_years=five_years,
        job_seconds=job_seconds,
        job_payments=export.payments,
    )
