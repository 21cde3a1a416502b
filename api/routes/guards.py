"""``POST /v1/guards/scan``: the teach job's guards on documents, without creating a job, so an app
can check text before teaching it."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import CurrentTenant, JsonBody, RatesDep, SessionDep, SettingsDep
from api.limits import check_limits
from api.schemas import ScanIn, ScanOut, ScanResult
from api.usecases import scan_for_tenant
from guards import Verdict

router = APIRouter(prefix="/v1/guards", tags=["guards"])


@router.post("/scan", response_model=ScanOut, dependencies=[JsonBody])
def scan(
    body: ScanIn,
    tenant: CurrentTenant,
    session: SessionDep,
    settings: SettingsDep,
    rates: RatesDep,
) -> ScanOut:
    """Findings and verdicts per document, as the teach job would decide them now."""
    check_limits(body.documents, settings, settings.max_scan_documents)
    rates.check_scan(tenant, sum(len(d.text) for d in body.documents), settings)
    outcomes = scan_for_tenant(session, tenant, [d.text for d in body.documents], settings)
    worst = max((o.verdict for o in outcomes), default=Verdict.PASS)
    return ScanOut(
        verdict=worst.label,
        documents=[
            ScanResult(
                verdict=o.verdict.label,
                text=o.text,
                findings=[f.as_dict() for f in o.findings],
            )
            for o in outcomes
        ],
    )
