"""``POST /v1/guards/scan``: the teach pipeline's guards on documents, without creating a job, so
an app can check text before teaching it."""

from __future__ import annotations

from fastapi import APIRouter

from adapter_store.documents import taught_texts
from api.deps import CurrentTenant, JsonBody, SessionDep, SettingsDep
from api.routes.knowledge import check_limits
from api.schemas import ScanIn, ScanOut, ScanResult
from guards import ScanContext, Verdict, build_guards, scan_text

router = APIRouter(prefix="/v1/guards", tags=["guards"])


@router.post("/scan", response_model=ScanOut, dependencies=[JsonBody])
def scan(
    body: ScanIn, tenant: CurrentTenant, session: SessionDep, settings: SettingsDep
) -> ScanOut:
    """Findings and verdicts per document, as the teach pipeline would decide them now."""
    check_limits(body.documents, settings, settings.max_scan_documents)  # type: ignore[arg-type]
    guards = build_guards(settings.guards, settings.disabled_guards)
    earlier = taught_texts(session, tenant.id, limit=settings.guard_history_limit)  # type: ignore[arg-type]
    texts = [d.text for d in body.documents]
    policy = tenant.policy_obj.model_dump(mode="json")
    results, worst = [], Verdict.PASS
    for i, text in enumerate(texts):
        ctx = ScanContext(
            tenant_id=tenant.id,
            policy=policy,
            earlier_texts=earlier,
            peer_texts=texts[:i] + texts[i + 1 :],
        )
        outcome = scan_text(text, ctx, guards)
        worst = max(worst, outcome.verdict)
        results.append(
            ScanResult(
                verdict=outcome.verdict.label,
                text=outcome.text,
                findings=[f.as_dict() for f in outcome.findings],  # type: ignore[misc]
            )
        )
    return ScanOut(verdict=worst.label, documents=results)
