package io.redispatterns.console;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.web.util.UriUtils;

/**
 * A console page being rendered: the request (path inside the section, query parameters) and the
 * writer of the page's content, with helpers that build the section's links and action forms.
 */
public final class ConsolePage {

	private final String sectionUrl;

	private final List<String> path;

	private final Map<String, String> parameters;

	private final boolean actionsEnabled;

	private final List<Map.Entry<String, String>> tokenFields;

	private final Html html = new Html();

	private String title;

	/**
	 * Creates a page.
	 * @param sectionUrl the section's URL, such as {@code /redis-patterns/queues}
	 * @param title the default title (the section's)
	 * @param path the decoded path segments after the section's URL
	 * @param parameters the query parameters (first values)
	 * @param actionsEnabled whether action forms are rendered
	 * @param tokenFields the hidden fields every form carries (CSRF tokens)
	 */
	public ConsolePage(String sectionUrl, String title, List<String> path, Map<String, String> parameters,
			boolean actionsEnabled, List<Map.Entry<String, String>> tokenFields) {
		this.sectionUrl = sectionUrl;
		this.title = title;
		this.path = List.copyOf(path);
		this.parameters = Map.copyOf(parameters);
		this.actionsEnabled = actionsEnabled;
		this.tokenFields = List.copyOf(tokenFields);
	}

	/**
	 * Returns the decoded path segments after the section's URL.
	 * @return the segments, empty for the section's main page
	 */
	public List<String> path() {
		return this.path;
	}

	/**
	 * Returns a query parameter.
	 * @param name the parameter
	 * @return its value, or {@code null}
	 */
	public @Nullable String param(String name) {
		String value = this.parameters.get(name);
		return (value == null || value.isBlank()) ? null : value;
	}

	/**
	 * Returns a non-negative integer query parameter, bounded.
	 * @param name the parameter
	 * @param fallback its value when absent or invalid
	 * @param max the largest value returned
	 * @return the value
	 */
	public int intParam(String name, int fallback, int max) {
		String value = param(name);
		try {
			int parsed = (value != null) ? Integer.parseInt(value) : fallback;
			return Math.min(Math.max(parsed, 0), max);
		}
		catch (NumberFormatException ex) {
			return fallback;
		}
	}

	/**
	 * Returns whether action forms are rendered ({@code redis-patterns.console.actions-enabled}).
	 * @return whether actions are enabled
	 */
	public boolean actionsEnabled() {
		return this.actionsEnabled;
	}

	/**
	 * Returns the hidden fields (CSRF tokens) every form posting an action carries, for a section
	 * that writes its own form (one with visible fields) instead of {@link #actionForm}.
	 * @return name/value pairs
	 */
	public List<Map.Entry<String, String>> tokenFields() {
		return this.tokenFields;
	}

	/**
	 * Returns the writer of the page's content (inside {@code main}).
	 * @return the writer
	 */
	public Html html() {
		return this.html;
	}

	/**
	 * Returns the page's title.
	 * @return the title
	 */
	public String title() {
		return this.title;
	}

	/**
	 * Writes the page's {@code h1} and uses it as the document's title.
	 * @param title the title
	 * @return the writer
	 */
	public Html heading(String title) {
		this.title = title;
		return this.html.element("h1", title);
	}

	/**
	 * Builds the URL of a page of this section.
	 * @param segments the path segments (encoded here)
	 * @return the URL
	 */
	public String url(String... segments) {
		StringBuilder url = new StringBuilder(this.sectionUrl);
		for (String segment : segments) {
			url.append('/').append(UriUtils.encodePathSegment(segment, StandardCharsets.UTF_8));
		}
		return url.toString();
	}

	/**
	 * Appends query parameters to a URL.
	 * @param url the URL
	 * @param pairs name/value pairs (encoded here); a {@code null} value is left out
	 * @return the URL with its query
	 */
	public static String query(String url, @Nullable String... pairs) {
		StringBuilder result = new StringBuilder(url);
		char separator = url.contains("?") ? '&' : '?';
		for (int i = 0; i + 1 < pairs.length; i += 2) {
			if (pairs[i] != null && pairs[i + 1] != null) {
				result.append(separator)
					.append(UriUtils.encodeQueryParam(pairs[i], StandardCharsets.UTF_8))
					.append('=')
					.append(UriUtils.encodeQueryParam(pairs[i + 1], StandardCharsets.UTF_8));
				separator = '&';
			}
		}
		return result.toString();
	}

	/**
	 * Writes a form that posts an action of this section, when actions are enabled (nothing
	 * otherwise). Its button is labelled for screen readers by its text and an optional
	 * description.
	 * @param action the action's name
	 * @param label the button's text
	 * @param confirm a question the operator confirms before the form is sent (for actions on many
	 * items), or {@code null}
	 * @param fields hidden name/value pairs
	 */
	public void actionForm(String action, String label, @Nullable String confirm, String... fields) {
		if (!this.actionsEnabled) {
			return;
		}
		this.html.open("form", "method", "post", "action", url("actions", action), "class", "action",
				"data-confirm", confirm);
		for (Map.Entry<String, String> token : this.tokenFields) {
			hidden(token.getKey(), token.getValue());
		}
		for (int i = 0; i + 1 < fields.length; i += 2) {
			hidden(fields[i], fields[i + 1]);
		}
		if (confirm != null) {
			// set to "yes" by the page's script once the operator confirmed; the server refuses without it
			hidden(ConsoleAction.CONFIRMED, "no");
		}
		this.html.element("button", label, "type", "submit").close("form");
	}

	private void hidden(String name, String value) {
		this.html.open("input", "type", "hidden", "name", name, "value", value);
	}

}
