package io.redispatterns.console;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Records every console action: one INFO line on the {@code io.redispatterns.console.audit}
 * logger (who, what, when, outcome) and the last {@value #KEPT} in memory for the console's
 * overview page.
 */
public final class ConsoleAuditLog {

	/** Entries kept in memory. */
	public static final int KEPT = 50;

	private static final Log logger = LogFactory.getLog("io.redispatterns.console.audit");

	private final Clock clock;

	private final Deque<Entry> recent = new ArrayDeque<>();

	/**
	 * Creates the log.
	 * @param clock the clock of the entries' times
	 */
	public ConsoleAuditLog(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Records an action.
	 * @param operator who
	 * @param action what: section and action
	 * @param target on what (parameters)
	 * @param outcome the result, or why it failed
	 * @return the entry
	 */
	public Entry record(String operator, String action, String target, String outcome) {
		Entry entry = new Entry(this.clock.instant(), clean(operator), clean(action), clean(target), clean(outcome));
		logger.info("console action: at=" + entry.at() + " operator=" + entry.operator() + " action=" + entry.action()
				+ " target=[" + entry.target() + "] outcome=[" + entry.outcome() + "]");
		synchronized (this.recent) {
			this.recent.addFirst(entry);
			while (this.recent.size() > KEPT) {
				this.recent.removeLast();
			}
		}
		return entry;
	}

	/**
	 * Returns the latest entries of this instance, newest first.
	 * @return the entries
	 */
	public List<Entry> recent() {
		synchronized (this.recent) {
			return new ArrayList<>(this.recent);
		}
	}

	/** Keeps a log line one line: user input must not forge further entries. */
	private static String clean(String text) {
		String oneLine = text.replaceAll("[\\p{Cntrl}]", "?");
		return (oneLine.length() > 500) ? oneLine.substring(0, 500) + "…" : oneLine;
	}

	/**
	 * One recorded action.
	 *
	 * @param at when
	 * @param operator who
	 * @param action what
	 * @param target on what
	 * @param outcome the result
	 */
	public record Entry(Instant at, String operator, String action, String target, String outcome) {

	}

}
