package io.redispatterns.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a console action: what the operator is told (also written to the audit log) and
 * the page of the same section shown next.
 *
 * @param notice the outcome in one sentence, such as {@code Retried 3 dead jobs of emails}
 * @param nextPage the path segments of the next page inside the section (empty for its main page)
 * @param nextQuery query parameters of the next page
 */
public record ConsoleActionResult(String notice, List<String> nextPage, Map<String, String> nextQuery) {

	/**
	 * Creates a result.
	 * @param notice the outcome in one sentence
	 * @param nextPage the path segments of the next page inside the section
	 * @return the result
	 */
	public static ConsoleActionResult of(String notice, String... nextPage) {
		return new ConsoleActionResult(notice, List.of(nextPage), Map.of());
	}

	/**
	 * Adds a query parameter to the next page.
	 * @param name the parameter
	 * @param value its value
	 * @return a new result
	 */
	public ConsoleActionResult withQuery(String name, String value) {
		Map<String, String> query = new LinkedHashMap<>(this.nextQuery);
		query.put(name, value);
		return new ConsoleActionResult(this.notice, this.nextPage, Map.copyOf(query));
	}

}
