package io.redispatterns.console;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.jspecify.annotations.Nullable;

/**
 * A minimal HTML writer for console pages: every text and attribute value written through it is
 * escaped, so a payload, key or error read from Redis can never inject markup. Only
 * {@link #raw(String)} writes unescaped text; pass it constants only.
 */
public final class Html {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
		.withZone(ZoneOffset.UTC);

	private final StringBuilder out = new StringBuilder(8192);

	/**
	 * Escapes text for an HTML text node or a quoted attribute value.
	 * @param value the value ({@code null} gives an empty string)
	 * @return the escaped text
	 */
	public static String escape(@Nullable Object value) {
		if (value == null) {
			return "";
		}
		String text = value.toString();
		StringBuilder escaped = new StringBuilder(text.length() + 16);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append("&gt;");
				case '&' -> escaped.append("&amp;");
				case '"' -> escaped.append("&quot;");
				case '\'' -> escaped.append("&#39;");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

	/**
	 * Formats an instant for display, or a dash.
	 * @param instant the instant
	 * @return the formatted time
	 */
	public static String time(@Nullable Instant instant) {
		return (instant != null) ? TIME.format(instant) : "–";
	}

	/**
	 * Formats a duration in milliseconds for display.
	 * @param millis the duration
	 * @return such as {@code 1.5 s} or {@code 3 min 20 s}
	 */
	public static String millis(long millis) {
		if (millis < 0) {
			return "–";
		}
		if (millis < 1000) {
			return millis + " ms";
		}
		Duration duration = Duration.ofMillis(millis);
		if (duration.toMinutes() == 0) {
			return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
		}
		if (duration.toHours() == 0) {
			return duration.toMinutes() + " min " + duration.toSecondsPart() + " s";
		}
		return duration.toHours() + " h " + duration.toMinutesPart() + " min";
	}

	/**
	 * Opens an element.
	 * @param tag the tag name (a constant)
	 * @param attributes name/value pairs; values are escaped, a {@code null} value omits the attribute
	 * @return this writer
	 */
	public Html open(String tag, @Nullable String... attributes) {
		this.out.append('<').append(tag);
		for (int i = 0; i + 1 < attributes.length; i += 2) {
			if (attributes[i + 1] != null) {
				this.out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1])).append('"');
			}
		}
		this.out.append('>');
		return this;
	}

	/**
	 * Closes an element.
	 * @param tag the tag name
	 * @return this writer
	 */
	public Html close(String tag) {
		this.out.append("</").append(tag).append('>');
		return this;
	}

	/**
	 * Writes an element with escaped text content.
	 * @param tag the tag name
	 * @param text the content
	 * @param attributes name/value pairs as for {@link #open}
	 * @return this writer
	 */
	public Html element(String tag, @Nullable Object text, @Nullable String... attributes) {
		return open(tag, attributes).text(text).close(tag);
	}

	/**
	 * Writes escaped text.
	 * @param text the text
	 * @return this writer
	 */
	public Html text(@Nullable Object text) {
		this.out.append(escape(text));
		return this;
	}

	/**
	 * Writes markup as is: constants only, never data.
	 * @param markup the markup
	 * @return this writer
	 */
	public Html raw(String markup) {
		this.out.append(markup);
		return this;
	}

	/**
	 * Writes a link.
	 * @param href the target (escaped)
	 * @param text the link text
	 * @return this writer
	 */
	public Html link(String href, @Nullable Object text) {
		return element("a", text, "href", href);
	}

	/**
	 * Opens a table with a caption and a header row.
	 * @param caption the caption (what the table lists)
	 * @param headers the column headers
	 * @return this writer
	 */
	public Html table(String caption, String... headers) {
		open("table").element("caption", caption).open("thead").open("tr");
		for (String header : headers) {
			element("th", header, "scope", "col");
		}
		return close("tr").close("thead").open("tbody");
	}

	/**
	 * Closes a table opened with {@link #table}.
	 * @return this writer
	 */
	public Html endTable() {
		return close("tbody").close("table");
	}

	/**
	 * Writes a table row of escaped cells.
	 * @param cells the cells
	 * @return this writer
	 */
	public Html row(@Nullable Object... cells) {
		open("tr");
		for (Object cell : cells) {
			element("td", cell);
		}
		return close("tr");
	}

	/**
	 * Writes a term and its description inside an open {@code dl}.
	 * @param term the term
	 * @param description the description
	 * @return this writer
	 */
	public Html entry(String term, @Nullable Object description) {
		return element("dt", term).element("dd", description);
	}

	@Override
	public String toString() {
		return this.out.toString();
	}

}
