"""The result an agent returns: one of the four generated result models (schema/v1/results)."""

from __future__ import annotations

from generated.models import DisclosureResult, ExternalResult, LogicResult, NumericResult

AgentResultModel = NumericResult | LogicResult | DisclosureResult | ExternalResult
