package io.redispatterns.console.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.redispatterns.console.ConsoleAction;
import io.redispatterns.console.ConsoleActionResult;
import io.redispatterns.console.ConsolePage;
import io.redispatterns.console.ConsoleRequestException;
import io.redispatterns.console.ConsoleSection;
import io.redispatterns.console.Html;
import io.redispatterns.stream.DeadLetter;
import io.redispatterns.stream.StreamDeadLetters;
import io.redispatterns.stream.StreamListenerHandle;
import io.redispatterns.stream.StreamListeners;
import io.redispatterns.stream.internal.StreamKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.PendingMessage;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.data.redis.connection.stream.StreamInfo;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The streams page: the application's stream listeners with their stream's length, each consumer
 * group's consumers, lag and pending entries (with idle times), and the dead-letter entries a page
 * at a time. Action: replay a dead-letter entry, shown in full first.
 */
public final class StreamsSection implements ConsoleSection {

	private static final Pattern ENTRY_ID = Pattern.compile("\\d{1,20}-\\d{1,20}");

	private final StreamListeners listeners;

	private final StreamDeadLetters deadLetters;

	private final StreamKeys keys;

	private final StringRedisTemplate redis;

	private final int pageSize;

	/**
	 * Creates the section.
	 * @param listeners the application's stream listeners
	 * @param deadLetters the dead-letter streams
	 * @param keys the streams' keys
	 * @param redis the template used for {@code XINFO}, {@code XPENDING} and {@code XLEN}
	 * @param pageSize entries per page
	 */
	public StreamsSection(StreamListeners listeners, StreamDeadLetters deadLetters, StreamKeys keys,
			StringRedisTemplate redis, int pageSize) {
		this.listeners = listeners;
		this.deadLetters = deadLetters;
		this.keys = keys;
		this.redis = redis;
		this.pageSize = pageSize;
	}

	@Override
	public String id() {
		return "streams";
	}

	@Override
	public String title() {
		return "Streams";
	}

	@Override
	public int order() {
		return 20;
	}

	@Override
	public void render(ConsolePage page) {
		List<String> path = page.path();
		if (path.isEmpty()) {
			renderStreams(page);
		}
		else if (path.size() == 1) {
			renderStream(page, known(path.get(0)));
		}
		else if (path.size() == 3 && path.get(1).equals("dead-letters")) {
			renderDeadLetter(page, known(path.get(0)), entryId(path.get(2)));
		}
		else {
			throw new ConsoleRequestException(404, "No such stream page");
		}
	}

	private void renderStreams(ConsolePage page) {
		Html html = page.heading("Streams");
		List<StreamListenerHandle> handles = this.listeners.list();
		if (handles.isEmpty()) {
			html.element("p", "This application has no stream listeners.", "class", "muted");
			return;
		}
		html.table("Stream listeners", "Listener", "Stream", "Group", "State", "Entries", "Pending", "Lag",
				"Dead letters");
		for (StreamListenerHandle handle : handles) {
			StreamInfo.XInfoGroup group = group(handle.stream(), handle.group());
			html.open("tr").element("td", handle.id());
			html.open("td").link(page.url(handle.stream()), handle.stream()).close("td");
			html.element("td", handle.group());
			html.element("td", handle.isPaused() ? "paused" : handle.isRunning() ? "running" : "stopped");
			html.element("td", length(handle.stream()), "class", "num");
			html.element("td", (group != null) ? group.pendingCount() : "–", "class", "num");
			html.element("td", (group != null) ? lag(group) : "–", "class", "num");
			html.element("td", this.deadLetters.size(handle.stream()), "class", "num");
			html.close("tr");
		}
		html.endTable();
	}

	private void renderStream(ConsolePage page, String stream) {
		Html html = page.heading("Stream " + stream);
		String key = this.keys.stream(stream);
		html.open("dl").entry("Entries", length(stream)).entry("Dead letters", this.deadLetters.size(stream)).close("dl");
		StreamInfo.XInfoGroups groups = (Boolean.TRUE.equals(this.redis.hasKey(key)))
				? this.redis.opsForStream().groups(key) : null;
		if (groups == null || groups.isEmpty()) {
			html.element("p", "No consumer group reads this stream yet.", "class", "muted");
		}
		else {
			html.table("Consumer groups", "Group", "Consumers", "Pending", "Lag", "Last delivered");
			groups.forEach((group) -> html.row(group.groupName(), group.consumerCount(), group.pendingCount(),
					lag(group), group.lastDeliveredId()));
			html.endTable();
			groups.forEach((group) -> renderGroup(html, key, group.groupName()));
		}
		renderDeadLetters(page, stream);
	}

	private void renderGroup(Html html, String key, String group) {
		html.element("h2", "Group " + group);
		StreamInfo.XInfoConsumers consumers = this.redis.opsForStream().consumers(key, group);
		html.table("Consumers of " + group, "Consumer", "Pending", "Idle");
		consumers.forEach((consumer) -> html.row(consumer.consumerName(), consumer.pendingCount(),
				Html.millis(consumer.idleTimeMs())));
		html.endTable();
		PendingMessages pending = this.redis.opsForStream().pending(key, group, Range.unbounded(), this.pageSize);
		if (pending.isEmpty()) {
			html.element("p", "No pending entries in " + group + ".", "class", "muted");
			return;
		}
		html.table("Oldest " + pending.size() + " pending entries of " + group, "Entry", "Consumer",
				"Idle since delivery", "Deliveries");
		for (PendingMessage message : pending) {
			html.row(message.getIdAsString(), message.getConsumerName(),
					Html.millis(message.getElapsedTimeSinceLastDelivery().toMillis()), message.getTotalDeliveryCount());
		}
		html.endTable();
	}

	private void renderDeadLetters(ConsolePage page, String stream) {
		Html html = page.html();
		html.element("h2", "Dead letters");
		String from = page.param("from");
		List<DeadLetter> letters = (from != null) ? this.deadLetters.list(stream, entryId(from), this.pageSize + 1)
				: this.deadLetters.list(stream, this.pageSize + 1);
		if (letters.isEmpty()) {
			html.element("p", "No dead letters.", "class", "muted");
			return;
		}
		List<DeadLetter> shown = letters.subList(0, Math.min(letters.size(), this.pageSize));
		html.table("Dead letters, oldest first", "Entry", "Original entry", "Group", "Attempts", "Dead-lettered",
				"Error", "Review");
		for (DeadLetter letter : shown) {
			html.open("tr").element("td", letter.id()).element("td", letter.originalId()).element("td", letter.group());
			html.element("td", letter.attempts(), "class", "num").element("td", letter.deadLetteredAt());
			html.element("td", shorten(letter.error()));
			html.open("td")
				.link(page.url(stream, "dead-letters", letter.id()), "Review entry " + letter.id())
				.close("td")
				.close("tr");
		}
		html.endTable();
		html.open("p", "class", "pager");
		if (from != null) {
			html.link(page.url(stream), "First page");
		}
		if (letters.size() > this.pageSize) {
			html.link(ConsolePage.query(page.url(stream), "from", letters.get(this.pageSize).id()), "Next page");
		}
		html.close("p");
	}

	private void renderDeadLetter(ConsolePage page, String stream, String id) {
		Html html = page.heading("Dead letter " + id);
		html.open("p").link(page.url(stream), "Back to stream " + stream).close("p");
		DeadLetter letter = find(stream, id);
		if (letter == null) {
			html.element("p", "No dead letter " + id + " in " + stream + ": replayed or purged.", "class", "muted");
			return;
		}
		html.open("dl")
			.entry("Stream", stream)
			.entry("Original entry", letter.originalId())
			.entry("Group", letter.group())
			.entry("Attempts", letter.attempts())
			.entry("Dead-lettered", letter.deadLetteredAt())
			.close("dl");
		html.element("h2", "Error");
		html.element("pre", letter.error());
		html.element("h2", "Payload");
		html.element("pre", (letter.payload() != null) ? letter.payload() : "(none)");
		if (!letter.headers().isEmpty()) {
			html.element("h2", "Headers");
			html.open("dl");
			letter.headers().forEach(html::entry);
			html.close("dl");
		}
		page.actionForm("replay", "Replay entry " + id + " to " + stream, null, "stream", stream, "id", id);
	}

	private @Nullable DeadLetter find(String stream, String id) {
		List<DeadLetter> letters = this.deadLetters.list(stream, id, 1);
		return (!letters.isEmpty() && letters.get(0).id().equals(id)) ? letters.get(0) : null;
	}

	@Override
	public ConsoleActionResult act(ConsoleAction action) {
		if (!action.name().equals("replay")) {
			throw new ConsoleRequestException(404, "No stream action '" + action.name() + "'");
		}
		String stream = known(action.require("stream"));
		String id = entryId(action.require("id"));
		long replayed = this.deadLetters.replay(stream, List.of(id));
		return ConsoleActionResult.of((replayed == 1) ? "Replayed dead letter " + id + " to " + stream
				: "Dead letter " + id + " was already gone: nothing replayed", stream);
	}

	private StreamInfo.@Nullable XInfoGroup group(String stream, String group) {
		String key = this.keys.stream(stream);
		if (!Boolean.TRUE.equals(this.redis.hasKey(key))) {
			return null;
		}
		for (StreamInfo.XInfoGroup candidate : this.redis.opsForStream().groups(key)) {
			if (candidate.groupName().equals(group)) {
				return candidate;
			}
		}
		return null;
	}

	private static Object lag(StreamInfo.XInfoGroup group) {
		Object lag = group.getRaw().get("lag");
		return (lag != null) ? lag : "unknown";
	}

	private long length(String stream) {
		Long size = this.redis.opsForStream().size(this.keys.stream(stream));
		return (size != null) ? size : 0;
	}

	private Set<String> streams() {
		Set<String> streams = new LinkedHashSet<>();
		for (StreamListenerHandle handle : this.listeners.list()) {
			streams.add(handle.stream());
		}
		return streams;
	}

	private String known(String stream) {
		if (!streams().contains(stream)) {
			throw new ConsoleRequestException(404, "No stream '" + stream + "' read by this application");
		}
		return stream;
	}

	private static String entryId(String id) {
		if (!ENTRY_ID.matcher(id).matches()) {
			throw new ConsoleRequestException(400, "Not a stream entry id: '" + id + "'");
		}
		return id;
	}

	private static @Nullable String shorten(@Nullable String text) {
		return (text != null && text.length() > 120) ? text.substring(0, 120) + "…" : text;
	}


}
