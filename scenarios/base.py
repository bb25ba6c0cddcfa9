"""What every scenario shares: the protocol, option validation, retries with feedback.

``Scenario`` itself lives in :mod:`stability.protocols` (the session drives it
while the core may not import this package) and is re-exported here so
scenario code can say ``from scenarios.base import Scenario``.

Options arrive from the CLI or a config file as a loose mapping; the helpers
below turn each value into its type or raise :class:`ConfigError` with one
sentence naming the scenario, the option and what was wrong. ``None`` always
means "use the default", so the CLI can pass unset flags through unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from stability.errors import ConfigError
from stability.protocols import Scenario
from stability.types import Reply, ToolCall

__all__ = [
    "REJECTED_REPLY_CHARS",
    "RejectedReply",
    "Scenario",
    "bool_option",
    "choice_option",
    "int_option",
    "reject_unknown",
    "retry_messages",
    "str_option",
]

REJECTED_REPLY_CHARS = 4000  # tail of a rejected reply shown on retry; answers sit at the end
_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0"})


def reject_unknown(scenario: str, options: Mapping[str, object], known: Iterable[str]) -> None:
    """Raise ConfigError if ``options`` has a key outside ``known``."""
    allowed = sorted(known)
    for key in options:
        if key not in allowed:
            raise ConfigError(
                f"unknown {scenario} option {key!r}; choose from: {', '.join(allowed)}"
            )


def choice_option(
    scenario: str, options: Mapping[str, object], key: str, choices: Sequence[str], default: str
) -> str:
    """A string option restricted to ``choices`` (case-insensitive)."""
    value = options.get(key)
    if value is None:
        return default
    text = str(value).strip().lower()
    if not isinstance(value, str) or text not in choices:
        raise ConfigError(
            f"{scenario} option {key!r} must be one of: {', '.join(choices)} (got {value!r})"
        )
    return text


def int_option(
    scenario: str,
    options: Mapping[str, object],
    key: str,
    default: int,
    *,
    minimum: int,
    maximum: int | None = None,
) -> int:
    """An integer option within ``[minimum, maximum]``; digit strings are accepted."""
    value = options.get(key)
    if value is None:
        return default
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
        number = int(value.strip())
    limit = f" and at most {maximum}" if maximum is not None else ""
    if number is None or number < minimum or (maximum is not None and number > maximum):
        raise ConfigError(
            f"{scenario} option {key!r} must be an integer of at least {minimum}{limit} "
            f"(got {value!r})"
        )
    return number


def bool_option(scenario: str, options: Mapping[str, object], key: str, default: bool) -> bool:
    """A boolean option; also accepts true/false, yes/no, on/off, 1/0 strings."""
    value = options.get(key)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if isinstance(value, str | int) and text in _TRUE:
        return True
    if isinstance(value, str | int) and text in _FALSE:
        return False
    raise ConfigError(f"{scenario} option {key!r} must be true or false (got {value!r})")


def str_option(scenario: str, options: Mapping[str, object], key: str) -> str | None:
    """An optional non-empty string option."""
    value = options.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{scenario} option {key!r} must be a non-empty string (got {value!r})")
    return value.strip()


def retry_messages(
    content: str, tool_calls: Sequence[ToolCall], tool_feedback: str, feedback: str
) -> list[dict[str, Any]]:
    """The messages that show a model its rejected reply and why.

    A plain reply becomes an assistant message; a reply with tool calls
    becomes an assistant message carrying ``tool_calls`` followed by one
    ``tool`` message per call (the API requires an answer to every call id)
    holding ``tool_feedback``. Either way a user message with ``feedback``
    follows, so the conversation ends on the user's turn.

    Args:
        content: the rejected reply's answer text (reasoning excluded).
        tool_calls: the rejected reply's tool calls; ids must be non-empty.
        tool_feedback: what each tool call gets back.
        feedback: what was wrong and what to do, for the user message.
    """
    messages: list[dict[str, Any]] = []
    if tool_calls:
        messages.append(
            {
                "role": "assistant",
                "content": content or None,
                "tool_calls": [call.as_message() for call in tool_calls],
            }
        )
        messages.extend(
            {"role": "tool", "tool_call_id": call.id, "content": tool_feedback}
            for call in tool_calls
        )
    else:
        messages.append({"role": "assistant", "content": content})
    messages.append({"role": "user", "content": feedback})
    return messages


@dataclass(frozen=True, slots=True)
class RejectedReply:
    """The latest rejected reply for the current step, and what the model is told.

    Scenarios keep one of these in their state so the retry request can show
    the model its own bad answer and the feedback, and nothing older: retry
    prompts stay bounded however many attempts a step takes.

    Attributes:
        content: the reply's answer text, clipped to its last
            ``REJECTED_REPLY_CHARS`` characters.
        tool_calls: the reply's tool calls, with ids filled in when missing.
        feedback: the user message: what was wrong and what to do.
        tool_feedback: what each tool call gets back.
    """

    content: str
    tool_calls: tuple[ToolCall, ...]
    feedback: str
    tool_feedback: str

    @classmethod
    def from_reply(cls, reply: Reply, feedback: str, tool_feedback: str) -> RejectedReply:
        """Remember ``reply`` (clipped, with usable tool-call ids) with its feedback."""
        content = reply.content
        if len(content) > REJECTED_REPLY_CHARS:
            content = "[…] " + content[-REJECTED_REPLY_CHARS:]
        calls = tuple(
            ToolCall(call.id or f"call_{i}", call.name, call.arguments)
            for i, call in enumerate(reply.tool_calls)
        )
        return cls(content, calls, feedback, tool_feedback)

    def messages(self) -> list[dict[str, Any]]:
        """The assistant/tool/user messages appended to a retry request."""
        return retry_messages(self.content, self.tool_calls, self.tool_feedback, self.feedback)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for checkpoints."""
        return {
            "content": self.content,
            "tool_calls": [
                {"id": c.id, "name": c.name, "arguments": c.arguments} for c in self.tool_calls
            ],
            "feedback": self.feedback,
            "tool_feedback": self.tool_feedback,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RejectedReply:
        """Inverse of :meth:`as_dict`."""
        return cls(
            content=str(data["content"]),
            tool_calls=tuple(
                ToolCall(str(c["id"]), str(c["name"]), str(c["arguments"]))
                for c in data["tool_calls"]
            ),
            feedback=str(data["feedback"]),
            tool_feedback=str(data["tool_feedback"]),
        )
