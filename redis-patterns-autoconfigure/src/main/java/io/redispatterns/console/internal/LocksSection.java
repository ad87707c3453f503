package io.redispatterns.console.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.redispatterns.console.ConsolePage;
import io.redispatterns.console.ConsoleRequestException;
import io.redispatterns.console.ConsoleSection;
import io.redispatterns.console.Html;

/**
 * The locks page: the lock configuration and the locks currently held in Redis by any instance
 * (found with a bounded {@code SCAN}, never {@code KEYS}), with their owning instance, remaining
 * lease and fencing token. Read-only: releasing another instance's lock would break its mutual
 * exclusion. Reuses what the {@code redispatterns} Actuator endpoint computes.
 */
public final class LocksSection implements ConsoleSection {

	private final Supplier<Map<String, Object>> description;

	/**
	 * Creates the section.
	 * @param description the lock part of the {@code redispatterns} endpoint
	 * ({@link io.redispatterns.lock.internal.LockEndpointDetails#describe()})
	 */
	public LocksSection(Supplier<Map<String, Object>> description) {
		this.description = description;
	}

	@Override
	public String id() {
		return "locks";
	}

	@Override
	public String title() {
		return "Locks";
	}

	@Override
	public int order() {
		return 30;
	}

	@Override
	public void render(ConsolePage page) {
		if (!page.path().isEmpty()) {
			throw new ConsoleRequestException(404, "No such lock page");
		}
		Html html = page.heading("Locks");
		Map<String, Object> lock = this.description.get();
		html.open("dl")
			.entry("Default lease", lock.get("defaultLease"))
			.entry("Default wait", lock.get("defaultWait"))
			.entry("Leases held by this instance", lock.get("heldByThisApplication"))
			.entry("Threads of this instance waiting", lock.get("waitingThreads"))
			.close("dl");
		Object held = lock.get("held");
		if (!(held instanceof List<?> locks)) {
			html.element("p", "Held locks: " + held, "class", "error");
			return;
		}
		if (locks.isEmpty()) {
			html.element("p", "No lock is held.", "class", "muted");
			return;
		}
		html.table("Held locks" + (Boolean.TRUE.equals(lock.get("heldTruncated")) ? " (first "
				+ io.redispatterns.lock.internal.LockEndpointDetails.MAX_LISTED + " found)" : ""), "Lock", "Owner instance",
				"Remaining lease", "Fencing token");
		for (Object item : locks) {
			if (item instanceof Map<?, ?> entry) {
				Object ttl = entry.get("remainingTtlMs");
				html.row(entry.get("name"), entry.get("owner"),
						(ttl instanceof Number millis) ? Html.millis(millis.longValue()) : ttl, entry.get("fencingToken"));
			}
		}
		html.endTable();
	}

}
