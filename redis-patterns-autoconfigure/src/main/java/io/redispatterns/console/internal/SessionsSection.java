package io.redispatterns.console.internal;

import java.util.List;

import io.redispatterns.console.ConsoleAction;
import io.redispatterns.console.ConsoleActionResult;
import io.redispatterns.console.ConsolePage;
import io.redispatterns.console.ConsoleRequestException;
import io.redispatterns.console.ConsoleSection;
import io.redispatterns.console.Html;
import io.redispatterns.session.SessionInfo;
import io.redispatterns.session.UserSessions;

/**
 * The sessions page: the sessions of one principal (looked up by name through the principal index,
 * never by scanning), with their age, last access and client. Actions: revoke one session, revoke
 * all of the principal's sessions.
 */
public final class SessionsSection implements ConsoleSection {

	private final UserSessions sessions;

	/**
	 * Creates the section.
	 * @param sessions the sessions of principals
	 */
	public SessionsSection(UserSessions sessions) {
		this.sessions = sessions;
	}

	@Override
	public String id() {
		return "sessions";
	}

	@Override
	public String title() {
		return "Sessions";
	}

	@Override
	public int order() {
		return 60;
	}

	@Override
	public void render(ConsolePage page) {
		if (!page.path().isEmpty()) {
			throw new ConsoleRequestException(404, "No such session page");
		}
		Html html = page.heading("Sessions");
		String principal = page.param("principal");
		html.open("form", "method", "get", "action", page.url(), "class", "inline", "role", "search");
		html.element("label", "Principal name", "for", "principal");
		html.open("input", "type", "search", "id", "principal", "name", "principal", "value", principal, "required",
				"required");
		html.element("button", "Show sessions", "type", "submit").close("form");
		if (principal == null) {
			return;
		}
		List<SessionInfo> infos = this.sessions.list(principal);
		html.element("h2", "Sessions of " + principal);
		if (infos.isEmpty()) {
			html.element("p", principal + " has no session.", "class", "muted");
			return;
		}
		html.table(infos.size() + " sessions, most recently used first", "Session (hash)", "Created", "Last access",
				"Expires", "Client", "Actions");
		for (SessionInfo info : infos) {
			html.open("tr").element("td", info.idHash()).element("td", Html.time(info.createdAt()));
			html.element("td", Html.time(info.lastAccessedAt())).element("td", Html.time(info.expiresAt()));
			html.element("td", ((info.clientIp() != null) ? info.clientIp() : "?") + " "
					+ ((info.userAgent() != null) ? info.userAgent() : ""));
			html.open("td");
			page.actionForm("revoke", "Revoke session " + info.idHash(), null, "principal", principal, "session",
					info.idHash());
			html.close("td").close("tr");
		}
		html.endTable();
		page.actionForm("revoke-all", "Revoke all " + infos.size() + " sessions of " + principal,
				"Revoke every session of " + principal + "?", "principal", principal);
	}

	@Override
	public ConsoleActionResult act(ConsoleAction action) {
		String principal = action.require("principal");
		ConsoleActionResult result = switch (action.name()) {
			case "revoke" -> {
				String session = action.require("session");
				boolean revoked = this.sessions.revoke(principal, session);
				yield ConsoleActionResult.of(revoked ? "Revoked session " + session + " of " + principal
						: "Session " + session + " of " + principal + " was already gone");
			}
			case "revoke-all" -> {
				action.requireConfirmation();
				int revoked = this.sessions.revokeAll(principal);
				yield ConsoleActionResult.of("Revoked " + revoked + " sessions of " + principal);
			}
			default -> throw new ConsoleRequestException(404, "No session action '" + action.name() + "'");
		};
		return result.withQuery("principal", principal);
	}

}
