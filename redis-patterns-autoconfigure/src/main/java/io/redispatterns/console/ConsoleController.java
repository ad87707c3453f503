package io.redispatterns.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.redispatterns.core.RedisPatternsException;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.util.UriUtils;

/**
 * Serves the operator console under {@code redis-patterns.console.path}: the overview, each
 * {@link ConsoleSection}'s pages ({@code GET <path>/<section>/...}) and actions
 * ({@code POST <path>/<section>/actions/<action>}). Every request is checked by
 * {@link ConsoleSecurity}; every post needs the console's CSRF token, enabled actions, and is
 * audited.
 */
@Controller
@RequestMapping("${redis-patterns.console.path:/redis-patterns}")
public class ConsoleController {

	private static final String CSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
			+ "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

	private final String path;

	private final List<ConsoleSection> sections;

	private final boolean actionsEnabled;

	private final ConsoleSecurity security;

	private final ConsoleTokens tokens;

	private final ConsoleAuditLog audit;

	/**
	 * Creates the controller.
	 * @param path the console's path, such as {@code /redis-patterns}
	 * @param sections the pages
	 * @param actionsEnabled whether actions are allowed
	 * @param security who may use the console
	 * @param tokens CSRF tokens and signed notices
	 * @param audit the audit log
	 */
	public ConsoleController(String path, List<ConsoleSection> sections, boolean actionsEnabled,
			ConsoleSecurity security, ConsoleTokens tokens, ConsoleAuditLog audit) {
		this.path = path;
		List<ConsoleSection> sorted = new ArrayList<>(sections);
		sorted.sort(Comparator.comparingInt(ConsoleSection::order).thenComparing(ConsoleSection::id));
		this.sections = List.copyOf(sorted);
		this.actionsEnabled = actionsEnabled;
		this.security = security;
		this.tokens = tokens;
		this.audit = audit;
	}

	/**
	 * Returns the sections in navigation order.
	 * @return the sections
	 */
	public List<ConsoleSection> sections() {
		return this.sections;
	}

	@GetMapping({ "", "/" })
	ResponseEntity<String> overview(HttpServletRequest request) {
		ConsolePage page = newPage(request, baseUrl(request), "Overview", List.of());
		page.heading("redis-patterns console");
		Html html = page.html();
		html.open("ul");
		for (ConsoleSection section : this.sections) {
			html.open("li").link(baseUrl(request) + "/" + section.id(), section.title()).close("li");
		}
		html.close("ul");
		html.element("h2", "Recent actions on this instance");
		List<ConsoleAuditLog.Entry> recent = this.audit.recent();
		if (recent.isEmpty()) {
			html.element("p", "No action yet.", "class", "muted");
		}
		else {
			html.table("Latest " + ConsoleAuditLog.KEPT + " actions, newest first", "When", "Who", "Action", "Target",
					"Outcome");
			for (ConsoleAuditLog.Entry entry : recent) {
				html.row(Html.time(entry.at()), entry.operator(), entry.action(), entry.target(), entry.outcome());
			}
			html.endTable();
		}
		return respond(request, HttpStatus.OK, null, page);
	}

	@GetMapping("/assets/{name:console\\.(?:css|js)}")
	ResponseEntity<String> asset(@PathVariable String name) throws IOException {
		try (InputStream in = ConsoleController.class.getResourceAsStream(name)) {
			if (in == null) {
				return ResponseEntity.notFound().build();
			}
			MediaType type = name.endsWith(".css") ? new MediaType("text", "css", StandardCharsets.UTF_8)
					: new MediaType("text", "javascript", StandardCharsets.UTF_8);
			return ResponseEntity.ok()
				.contentType(type)
				.cacheControl(CacheControl.noCache())
				.header("X-Content-Type-Options", "nosniff")
				.body(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
	}

	@GetMapping("/{section}/**")
	ResponseEntity<String> page(@PathVariable("section") String sectionId, HttpServletRequest request) {
		ConsoleSection section = section(sectionId);
		if (section == null) {
			return error(request, HttpStatus.NOT_FOUND, "No console section '" + sectionId + "'.", null);
		}
		List<String> rest = rest(request, sectionId);
		ConsolePage page = newPage(request, baseUrl(request) + "/" + section.id(), section.title(), rest);
		if (this.security.refusal(request) == null) {
			try {
				section.render(page);
			}
			catch (ConsoleRequestException ex) {
				return error(request, HttpStatus.valueOf(ex.status()), ex.getMessage(), section.id());
			}
			catch (DataAccessException | RedisPatternsException ex) {
				return error(request, HttpStatus.SERVICE_UNAVAILABLE, "Redis did not answer: " + ex.getMessage(),
						section.id());
			}
		}
		return respond(request, HttpStatus.OK, section.id(), page);
	}

	@PostMapping("/{section}/actions/{action}")
	ResponseEntity<String> act(@PathVariable("section") String sectionId, @PathVariable String action,
			HttpServletRequest request) {
		String refusal = this.security.refusal(request);
		if (refusal != null) {
			return error(request, HttpStatus.FORBIDDEN, refusal, null);
		}
		if (!this.actionsEnabled) {
			return error(request, HttpStatus.FORBIDDEN,
					"Console actions are disabled (redis-patterns.console.actions-enabled=false).", null);
		}
		if (!this.tokens.isValid(request)) {
			return error(request, HttpStatus.FORBIDDEN,
					"The form's security token is missing or stale: reload the page and try again.", null);
		}
		ConsoleSection section = section(sectionId);
		if (section == null) {
			return error(request, HttpStatus.NOT_FOUND, "No console section '" + sectionId + "'.", null);
		}
		String operator = this.security.operator(request);
		ConsoleAction consoleAction = new ConsoleAction(action, parameters(request), operator);
		String what = section.id() + "." + action;
		String target = describe(request);
		ConsoleActionResult result;
		try {
			result = section.act(consoleAction);
		}
		catch (ConsoleRequestException ex) {
			this.audit.record(operator, what, target, "refused: " + ex.getMessage());
			return error(request, HttpStatus.valueOf(ex.status()), ex.getMessage(), section.id());
		}
		catch (DataAccessException | RedisPatternsException ex) {
			this.audit.record(operator, what, target, "failed: " + ex.getMessage());
			return error(request, HttpStatus.SERVICE_UNAVAILABLE, "Redis did not answer: " + ex.getMessage(),
					section.id());
		}
		this.audit.record(operator, what, target, result.notice());
		StringBuilder next = new StringBuilder(baseUrl(request)).append('/').append(section.id());
		for (String segment : result.nextPage()) {
			next.append('/').append(UriUtils.encodePathSegment(segment, StandardCharsets.UTF_8));
		}
		String location = next.toString();
		for (Map.Entry<String, String> parameter : result.nextQuery().entrySet()) {
			location = ConsolePage.query(location, parameter.getKey(), parameter.getValue());
		}
		location = ConsolePage.query(location, "notice", result.notice(), "sig", this.tokens.sign(result.notice()));
		return ResponseEntity.status(HttpStatus.SEE_OTHER).header(HttpHeaders.LOCATION, location).build();
	}

	private @Nullable ConsoleSection section(String id) {
		for (ConsoleSection section : this.sections) {
			if (section.id().equals(id)) {
				return section;
			}
		}
		return null;
	}

	private String baseUrl(HttpServletRequest request) {
		return request.getContextPath() + this.path;
	}

	private List<String> rest(HttpServletRequest request, String sectionId) {
		String uri = request.getRequestURI();
		String start = baseUrl(request) + "/";
		String remainder = uri.startsWith(start) ? uri.substring(start.length()) : "";
		List<String> segments = new ArrayList<>(Arrays.asList(remainder.split("/")));
		segments.removeIf(String::isEmpty);
		// the first segment is the section's id
		if (!segments.isEmpty()) {
			segments.remove(0);
		}
		segments.replaceAll((segment) -> UriUtils.decode(segment, StandardCharsets.UTF_8));
		return segments;
	}

	private Map<String, List<String>> parameters(HttpServletRequest request) {
		Map<String, List<String>> parameters = new LinkedHashMap<>();
		request.getParameterMap().forEach((name, values) -> parameters.put(name, List.of(values)));
		return parameters;
	}

	/** The action's parameters for the audit log, without tokens. */
	private String describe(HttpServletRequest request) {
		Map<String, String> shown = new TreeMap<>();
		request.getParameterMap().forEach((name, values) -> {
			if (!name.equals(ConsoleTokens.FIELD) && !name.equals("_csrf") && !name.equals(ConsoleAction.CONFIRMED)) {
				shown.put(name, String.join(",", values));
			}
		});
		return shown.toString();
	}

	private ConsolePage newPage(HttpServletRequest request, String sectionUrl, String title, List<String> rest) {
		Map<String, String> query = new LinkedHashMap<>();
		request.getParameterMap().forEach((name, values) -> query.put(name, values[0]));
		String token = this.tokens.cookieToken(request);
		if (token == null) {
			token = this.tokens.newToken();
			request.setAttribute(ConsoleTokens.COOKIE, token);
		}
		return new ConsolePage(sectionUrl, title, rest, query, this.actionsEnabled,
				this.tokens.formFields(request, token));
	}

	private ResponseEntity<String> error(HttpServletRequest request, HttpStatus status, @Nullable String message,
			@Nullable String sectionId) {
		ConsolePage page = newPage(request, baseUrl(request), status.getReasonPhrase(), List.of());
		page.heading(status.value() + " " + status.getReasonPhrase());
		page.html().element("p", message, "class", "error", "role", "alert");
		ResponseEntity.BodyBuilder builder = ResponseEntity.status(status);
		if (status == HttpStatus.SERVICE_UNAVAILABLE) {
			builder.header(HttpHeaders.RETRY_AFTER, "5");
		}
		return body(request, builder, sectionId, page);
	}

	private ResponseEntity<String> respond(HttpServletRequest request, HttpStatus status, @Nullable String sectionId,
			ConsolePage page) {
		String refusal = this.security.refusal(request);
		if (refusal != null) {
			return error(request, HttpStatus.FORBIDDEN, refusal, null);
		}
		return body(request, ResponseEntity.status(status), sectionId, page);
	}

	private ResponseEntity<String> body(HttpServletRequest request, ResponseEntity.BodyBuilder builder,
			@Nullable String sectionId, ConsolePage page) {
		boolean allowed = this.security.refusal(request) == null;
		String notice = this.tokens.verified(request.getParameter("notice"), request.getParameter("sig"));
		String html = ConsoleLayout.render(baseUrl(request), allowed ? this.sections : List.of(), sectionId,
				page.title(), page.html().toString(), notice, allowed ? this.security.operator(request) : null,
				this.actionsEnabled);
		Object newToken = request.getAttribute(ConsoleTokens.COOKIE);
		if (newToken instanceof String token) {
			builder.header(HttpHeaders.SET_COOKIE,
					this.tokens.cookie(token, baseUrl(request), request.isSecure()).toString());
		}
		return builder.contentType(new MediaType("text", "html", StandardCharsets.UTF_8))
			.cacheControl(CacheControl.noStore())
			.header("Content-Security-Policy", CSP)
			.header("X-Content-Type-Options", "nosniff")
			.header("Referrer-Policy", "no-referrer")
			.body(html);
	}

}
