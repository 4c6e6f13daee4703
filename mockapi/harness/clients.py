"""Verify a client against the contract: Hypothesis draws scenarios, the checks judge each run.

``@verify(scenarios=scenarios.default())`` turns a client function into a pytest test;
:func:`verify_client` does the same at once; :func:`replay` runs one scenario (a printed
counterexample) again. A failure is shrunk by Hypothesis to the smallest scenario and raised
as a :class:`CheckFailure` whose text is the replayable script.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from hypothesis import HealthCheck, Phase, given, note
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from mockapi.core.config import Settings

from .checks import Check, by_name, judge
from .runner import Options, Run, Session, execute, inputs_of
from .scenarios import Scenario, default

# Hypothesis's "explain" phase re-runs the client hundreds of times after shrinking; the script says more.
PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink)


def _options(max_attempts: int, sdk_max_retries: int, hang_timeout: float) -> Options:
    if max_attempts < 1:
        raise ValueError(f"max_attempts must be at least 1, not {max_attempts}")
    if hang_timeout <= 0:
        raise ValueError(f"hang_timeout must be positive, not {hang_timeout}")
    return Options(max_attempts=max_attempts, sdk_max_retries=sdk_max_retries, hang_timeout=hang_timeout)


def replay(fn: Callable[..., Any], scenario: Scenario, *, checks: Sequence[Check | str] | None = None,
           max_attempts: int = 3, sdk_max_retries: int = 2, hang_timeout: float = 10.0,
           settings: Settings | None = None) -> Run:
    """Run ``fn`` once against ``scenario`` and judge it; return the run when every check holds."""
    __tracebackhide__ = True
    inputs_of(fn)
    session = Session(settings)
    try:
        run = execute(session, fn, scenario, _options(max_attempts, sdk_max_retries, hang_timeout))
        judge(run, checks)
        return run
    finally:
        session.close()


def verify_client(fn: Callable[..., Any], *, scenarios: st.SearchStrategy[Scenario] | None = None,
                  checks: Sequence[Check | str] | None = None, max_examples: int = 25, max_attempts: int = 3,
                  sdk_max_retries: int = 2, hang_timeout: float = 10.0, settings: Settings | None = None,
                  hypothesis: hypothesis_settings | None = None) -> None:
    """Run ``fn`` against scenarios drawn from ``scenarios``; raise the shrunk :class:`CheckFailure` if one breaks."""
    __tracebackhide__ = True
    inputs_of(fn)  # fail early on a function the harness cannot call
    if checks is not None:
        by_name([c for c in checks if isinstance(c, str)])  # and on a check name that does not exist
    options = _options(max_attempts, sdk_max_retries, hang_timeout)
    strategy = scenarios if scenarios is not None else default()
    if not isinstance(strategy, st.SearchStrategy):
        raise TypeError(f"scenarios must be a Hypothesis strategy of Scenario, not {type(strategy).__name__}")
    session = Session(settings)
    config = hypothesis or hypothesis_settings(
        max_examples=max_examples, deadline=None, database=None, print_blob=False, phases=PHASES,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])

    @config
    @given(scenario=strategy)
    def property_holds(scenario: Scenario) -> None:
        __tracebackhide__ = True
        run = execute(session, fn, scenario, options)
        try:
            judge(run, checks)
        except Exception:
            ending = run.outcome
            how = "hung" if ending.hung else f"raised {ending.error!r}" if ending.error else f"returned {ending.value!r}"
            note(f"{len(run.exchanges)} request(s); the client {how[:300]}")
            raise

    try:
        property_holds()
    finally:
        session.close()


def verify(fn: Callable[..., Any] | None = None, **options: Any) -> Any:
    """Decorator: the client function becomes a pytest test verifying it (options as :func:`verify_client`)."""

    def wrap(target: Callable[..., Any]) -> Callable[[], None]:
        inputs_of(target)

        def test() -> None:
            __tracebackhide__ = True
            verify_client(target, **options)

        test.__name__ = getattr(target, "__name__", "test_contract")
        test.__qualname__ = getattr(target, "__qualname__", test.__name__)
        test.__doc__ = target.__doc__
        test.__module__ = target.__module__
        test.client_function = target  # type: ignore[attr-defined]
        return test

    return wrap(fn) if fn is not None else wrap


class ContractHarness:
    """What the ``contract`` fixture gives a test: ``verify``, ``replay`` and the scenario strategies."""

    def verify(self, fn: Callable[..., Any], **options: Any) -> None:
        """See :func:`verify_client`."""
        verify_client(fn, **options)

    def replay(self, fn: Callable[..., Any], scenario: Scenario, **options: Any) -> Run:
        """See :func:`replay`."""
        return replay(fn, scenario, **options)

    @property
    def scenarios(self) -> Any:
        """The :mod:`mockapi.harness.scenarios` module."""
        from . import scenarios

        return scenarios

