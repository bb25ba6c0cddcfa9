"""The sim server: personas behind a real OpenAI-compatible HTTP endpoint.

Serving the personas over aiohttp (rather than faking the client) means the
harness meets them on the same wire as a real server: SSE framing, status
codes, ``Retry-After`` headers, dropped sockets and silent streams all reach
the ``openai`` client exactly as they would from vLLM or a hosted API.

Two ways to run it: :class:`SimServer` serves from a daemon thread with its
own event loop (for the harness and tests; ``start``/``stop`` are quick and
synchronous, so async callers may use them too), and :func:`run_sim_server`
serves in the foreground for ``stability sim-server``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import signal
import socket
import threading
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any

from aiohttp import web

from stability.errors import ConfigError
from stability.sim._text import count_tokens
from stability.sim._wire import (
    BAD_UTF8_EVENT,
    DONE_EVENT,
    MALFORMED_EVENT,
    ChatRequest,
    Transcript,
    WireError,
    error_body,
    model_object,
    models_body,
    parse_chat_request,
    prompt_tokens,
    sse,
)
from stability.sim.personas import (
    Fault,
    FaultLedger,
    Script,
    Token,
    broken_tool_script,
    compose,
)
from stability.sim.spec import parse_persona_spec

NON_STREAM_CAP = 16_384  # a non-streamed endless reply ends here, as at a context limit
MAX_BODY = 256 * 1024 * 1024  # a 1M-token recall prompt is ~6 MB of JSON; leave ample room
SHUTDOWN_S = 1.0  # in-flight handlers are cancelled first, so this is only a backstop
START_TIMEOUT_S = 10.0
_HTTP_FAULTS: dict[str, tuple[int, str, str, str]] = {
    "429": (429, "Rate limit reached (simulated).", "rate_limit_error", "rate_limit_exceeded"),
    "500": (500, "Internal server error (simulated).", "server_error", "internal_error"),
    "503": (503, "The server is overloaded (simulated).", "server_error", "overloaded"),
    "502": (502, "Bad gateway (simulated).", "server_error", "bad_gateway"),
    "429bare": (
        429,
        "Rate limit reached (simulated, no Retry-After).",
        "rate_limit_error",
        "rate_limit_exceeded",
    ),
}
HUGE_CHUNK_CHARS = 10 * 1024 * 1024  # the fault matrix's "chunk of 10 MB"
_ACTIVE: web.AppKey[set[asyncio.Task[Any]]] = web.AppKey("sim_active_tasks")
_LEDGER: web.AppKey[FaultLedger] = web.AppKey("sim_fault_ledger")


class _Dropped(Exception):
    """Raised inside a reply to abandon it by closing the connection."""


def create_app() -> web.Application:
    """The aiohttp application serving ``/v1/models`` and ``/v1/chat/completions``."""
    app = web.Application(client_max_size=MAX_BODY)
    app[_ACTIVE] = set()
    app[_LEDGER] = FaultLedger()
    app.router.add_get("/v1/models", _list_models)
    app.router.add_get("/v1/models/{model:.+}", _get_model)
    app.router.add_post("/v1/chat/completions", _chat)
    app.router.add_post("/extras/tokenize/count", _tokenize_count)
    return app


def _error(status: int, message: str, type: str, code: str) -> web.Response:
    return web.json_response(error_body(message, type, code), status=status)


async def _list_models(request: web.Request) -> web.Response:
    return web.json_response(models_body())


async def _get_model(request: web.Request) -> web.Response:
    model = request.match_info["model"]
    try:
        parse_persona_spec(model)
    except ConfigError as err:
        return _error(404, str(err), "invalid_request_error", "model_not_found")
    return web.json_response(model_object(model))


async def _tokenize_count(request: web.Request) -> web.Response:
    """llama-cpp-python's token counter: ``{"input", "model"}`` → ``{"count"}``."""
    try:
        body = json.loads(await request.read())
        text, model = body["input"], body.get("model") or "oracle"
        spec = parse_persona_spec(model)
    except (ValueError, KeyError, TypeError, ConfigError) as err:
        return _error(400, f"bad tokenize request: {err}", "invalid_request_error", "bad_body")
    if not isinstance(text, str) or spec.str_param("tokenize") == "off":
        return _error(404, "Not Found", "invalid_request_error", "not_found")
    return web.json_response({"count": count_tokens(text)})


async def _chat(request: web.Request) -> web.StreamResponse:
    """Answer one chat request; registered so a server stop can cancel it."""
    task = asyncio.current_task()
    active = request.app[_ACTIVE]
    if task is not None:
        active.add(task)
    try:
        return await _answer(request)
    finally:
        if task is not None:
            active.discard(task)


async def _answer(request: web.Request) -> web.StreamResponse:
    # Parsing, hashing and composing are CPU work that grows with the prompt
    # (a 1M-token recall prompt is megabytes), so they run off the event loop.
    raw = await request.read()
    try:
        chat = await asyncio.to_thread(parse_chat_request, raw)
    except WireError as err:
        return web.json_response(err.body(), status=err.status)
    fault = None
    if chat.turn.spec.name == "flaky":
        fault = request.app[_LEDGER].decide(chat.body_key, chat.turn.spec)
    if fault is not None and fault.kind in _HTTP_FAULTS:
        status, message, type, code = _HTTP_FAULTS[fault.kind]
        response = _error(status, message, type, code)
        if fault.kind == "429":
            response.headers["Retry-After"] = "1"
            response.headers["retry-after-ms"] = "200"
        return response
    if fault is not None and fault.kind == "reset":
        _hang_up(request)  # connection reset before any response
        return web.Response()
    if fault is not None and fault.kind == "hang":
        await asyncio.get_running_loop().create_future()  # no response at all, until cancelled
    script, transcript = await asyncio.to_thread(_plan, chat)
    if fault is not None and fault.kind == "badtool":
        script, fault = broken_tool_script(chat.turn), None
    if chat.stream:
        return await _stream(request, chat, script, transcript, fault)
    return await _complete(request, chat, script, transcript, fault)


def _plan(chat: ChatRequest) -> tuple[Script, Transcript]:
    transcript = Transcript(
        completion_id=f"chatcmpl-{chat.turn.digest[:24]}",
        model=chat.model,
        prompt_tokens=prompt_tokens(chat.turn.messages),
    )
    return compose(chat.turn), transcript


async def _stream(
    request: web.Request,
    chat: ChatRequest,
    script: Script,
    transcript: Transcript,
    fault: Fault | None,
) -> web.StreamResponse:
    """Send the reply as SSE, one sim token per chunk."""
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
    )
    await response.prepare(request)

    async def emit(token: Token) -> None:
        await response.write(sse(transcript.record(token)))

    async def misbehave(kind: str) -> None:
        if kind == "drop":
            raise _Dropped
        if kind == "huge":
            await response.write(sse(transcript.raw_chunk({"content": _huge_text()})))
        elif kind == "badutf8":
            await response.write(BAD_UTF8_EVENT)
        else:
            await response.write(MALFORMED_EVENT)

    try:
        tps = chat.turn.spec.float_param("tps")
        reason = await _produce(script, chat.limit, tps, emit, fault, misbehave)
        await response.write(sse(transcript.finish_chunk(reason)))
        if chat.include_usage:
            await response.write(sse(transcript.usage_chunk()))
        await response.write(DONE_EVENT)
    except _Dropped:
        _hang_up(request)
    except ConnectionError:
        pass  # the client went away: stop generating, quietly
    return response


async def _complete(
    request: web.Request,
    chat: ChatRequest,
    script: Script,
    transcript: Transcript,
    fault: Fault | None,
) -> web.StreamResponse:
    """Generate the whole reply, then send one ``chat.completion`` body."""
    malformed = False

    async def emit(token: Token) -> None:
        transcript.record(token)

    async def misbehave(kind: str) -> None:
        nonlocal malformed
        if kind == "drop":
            raise _Dropped
        malformed = True

    limit = chat.limit if chat.limit is not None or not script.endless else NON_STREAM_CAP
    try:
        reason = await _produce(
            script, limit, chat.turn.spec.float_param("tps"), emit, fault, misbehave
        )
    except _Dropped:
        _hang_up(request)
        return web.Response()  # never reaches the client: the socket is closed
    if malformed:
        return web.Response(body=MALFORMED_EVENT[6:-2], content_type="application/json")
    body = json.dumps(transcript.completion(reason), ensure_ascii=False, separators=(",", ":"))
    return web.Response(text=body, content_type="application/json")


def _huge_text() -> str:
    """10 MB of varied words (seeded), as one streamed delta."""
    rng = random.Random(10)
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
    out: list[str] = []
    size = 0
    while size < HUGE_CHUNK_CHARS:
        word = f"{rng.choice(words)}{rng.randrange(1_000_000)} "
        out.append(word)
        size += len(word)
    return "".join(out)


def _hang_up(request: web.Request) -> None:
    """Close the socket without finishing the response (a crashed server)."""
    if request.transport is not None:
        request.transport.close()


async def _produce(
    script: Script,
    limit: int | None,
    tps: float,
    emit: Callable[[Token], Awaitable[None]],
    fault: Fault | None,
    misbehave: Callable[[str], Awaitable[None]],
) -> str:
    """Feed ``script``'s tokens to ``emit``, paced, and return the finish reason.

    Stops with ``length`` at ``limit``; goes silent for good at the script's
    stall point (only cancellation ends that); fires a mid-stream fault after
    its token count (or at the end, for a shorter reply). Yields to the loop
    after every token so a disconnect or a server stop is noticed promptly.
    """
    loop = asyncio.get_running_loop()
    interval = 1.0 / tps if tps > 0 else 0.0
    started = loop.time()
    pending = fault if fault is not None and fault.kind not in _HTTP_FAULTS else None
    sent = 0
    while True:
        room = limit is None or sent < limit
        stalled = script.stall_after is not None and sent >= script.stall_after
        if stalled and room:
            await loop.create_future()  # silent with the stream open, until cancelled
        token = next(script.tokens, None)
        if pending is not None and (sent >= pending.after or token is None or not room):
            kind, pending = pending.kind, None
            await misbehave(kind)
        if token is None:
            if script.stall_after is not None and room:
                await loop.create_future()
            return script.finish_reason
        if not room:
            return "length"
        await emit(token)
        sent += 1
        await asyncio.sleep(max(0.0, started + sent * interval - loop.time()) if interval else 0)


class _Service:
    """One running app on one bound socket: the part both entry points share."""

    def __init__(self) -> None:
        self.app = create_app()
        self.runner = web.AppRunner(
            self.app, access_log=None, handler_cancellation=True, shutdown_timeout=SHUTDOWN_S
        )

    async def open(self, sock: socket.socket) -> None:
        await self.runner.setup()
        await web.SockSite(self.runner, sock).start()

    async def close(self) -> None:
        """Cancel in-flight replies (endless ones would never end), then shut down."""
        active = self.app[_ACTIVE]
        tasks = list(active)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.runner.cleanup()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except OSError as err:
        raise ConfigError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None


def _base_url(host: str, sock: socket.socket) -> str:
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/v1"


class SimServer:
    """The sim server on a background daemon thread with its own event loop.

    Example::

        with SimServer() as server:
            client = AsyncOpenAI(base_url=server.url, api_key="sim")
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.url: str | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._service: _Service | None = None

    def start(self) -> str:
        """Bind, start serving, wait until listening; return the base URL.

        Raises:
            ConfigError: the address cannot be bound.
            RuntimeError: the server is already running.
        """
        if self._thread is not None:
            raise RuntimeError("the sim server is already running")
        sock = _bind(self.host, self.port)
        ready = threading.Event()
        failure: list[BaseException] = []
        loop = asyncio.new_event_loop()

        def serve() -> None:
            asyncio.set_event_loop(loop)
            try:
                self._service = _Service()
                loop.run_until_complete(self._service.open(sock))
            except BaseException as err:  # reported to start()'s caller
                failure.append(err)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()

        thread = threading.Thread(target=serve, name="stability-sim-server", daemon=True)
        thread.start()
        if not ready.wait(START_TIMEOUT_S) or failure:
            sock.close()
            thread.join(START_TIMEOUT_S)
            raise failure[0] if failure else RuntimeError("the sim server did not start")
        self._loop, self._thread = loop, thread
        self.url = _base_url(self.host, sock)
        self.port = sock.getsockname()[1]
        return self.url

    @property
    def in_flight(self) -> int:
        """Chat requests being answered right now (streams included)."""
        service = self._service
        return 0 if service is None else len(service.app[_ACTIVE])

    def stop(self) -> None:
        """Cancel in-flight streams, close every connection and join the thread."""
        loop, thread, service = self._loop, self._thread, self._service
        if loop is None or thread is None or service is None:
            return
        if threading.current_thread() is thread:
            raise RuntimeError("SimServer.stop() cannot be called from the server's own thread")
        self._loop = self._thread = self._service = None
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(service.close(), loop).result(START_TIMEOUT_S)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(START_TIMEOUT_S)

    def __enter__(self) -> SimServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def run_sim_server(host: str, port: int) -> None:
    """Serve in the foreground until SIGINT or SIGTERM (``stability sim-server``).

    Prints ``sim server listening on http://HOST:PORT/v1`` once listening.

    Raises:
        ConfigError: the address cannot be bound.
    """
    sock = _bind(host, port)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve_until_signal(host, sock))


async def _serve_until_signal(host: str, sock: socket.socket) -> None:
    service = _Service()
    await service.open(sock)
    print(f"sim server listening on {_base_url(host, sock)}", flush=True)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    installed: list[signal.Signals] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread, or Windows: Ctrl-C still raises KeyboardInterrupt
    try:
        await stop.wait()
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
        await service.close()
