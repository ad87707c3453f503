package io.redispatterns.stream.internal;

import java.util.Collection;
import java.util.List;

import io.redispatterns.core.LuaScriptRunner;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Internal: keeps one container's consumer group in place. It remembers the highest entry id the group is known
 * to have reached (the group's position when this container first saw it, then every id this container read).
 * When the group has vanished — Redis restarted without persistence, a failover to a replica that lacked it,
 * {@code FLUSHALL}, {@code XGROUP DESTROY} — {@code ensure-group.lua} creates it again just below the oldest
 * entry still unfinished here (or at the remembered id) when the stream still holds that entry, else at
 * {@code 0}, so that no entry published after the loss is skipped. Used by the reader thread only.
 */
final class ConsumerGroupGuard {

	private static final Log logger = LogFactory.getLog(ConsumerGroupGuard.class);

	private final StringRedisTemplate redis;

	private final LuaScriptRunner scripts;

	private final String streamKey;

	private final ListenerSettings settings;

	private final StreamMetrics metrics;

	/** Highest id the group is known to have reached; {@code null} until the group was first seen. */
	private @Nullable String reached;

	ConsumerGroupGuard(StringRedisTemplate redis, String streamKey, ListenerSettings settings, StreamMetrics metrics) {
		this.redis = redis;
		this.scripts = new LuaScriptRunner(this.redis::getRequiredConnectionFactory);
		this.streamKey = streamKey;
		this.settings = settings;
		this.metrics = metrics;
	}

	/** Records an id this container read from the group. */
	void read(String id) {
		this.reached = (this.reached != null) ? StreamIds.max(this.reached, id) : id;
	}

	/**
	 * Creates the group when it does not exist.
	 * @param unfinished ids this container read and has not finished (in flight or waiting for a retry): a
	 * re-created group delivers them again, as their pending entries vanished with the group
	 * @return {@code true} when a vanished group was created again (pending retries are gone with it)
	 */
	boolean ensure(Collection<String> unfinished) {
		String known = this.reached;
		String position = (known != null) ? known : "";
		for (String id : unfinished) {
			String below = StreamIds.predecessor(id);
			position = (position.isEmpty() || StreamIds.compare(below, position) < 0) ? below : position;
		}
		List<?> reply = this.scripts.run(StreamScripts.ENSURE_GROUP, List.of(this.streamKey),
				this.settings.group(), this.settings.startFromEarliest() ? "0" : "$", (known != null) ? known : "",
				position);
		String outcome = (reply != null && !reply.isEmpty()) ? String.valueOf(reply.get(0)) : "exists";
		String lastDelivered = (reply != null && reply.size() > 1 && reply.get(1) != null)
				? String.valueOf(reply.get(1)) : null;
		if (!"recreated".equals(outcome)) {
			if (lastDelivered != null) {
				read(lastDelivered);
			}
			return false;
		}
		// the group starts over here (possibly on a new stream whose ids are below the old ones)
		this.reached = lastDelivered;
		logger.warn("Consumer group '" + this.settings.group() + "' of stream '" + this.settings.stream()
				+ "' had vanished (Redis restarted empty, failed over to a replica without it, was flushed, or the"
				+ " group was destroyed); created it again at " + lastDelivered
				+ " so that every entry published since is delivered ("
				+ ("0".equals(lastDelivered) ? "the stream was new or reset: all its entries"
						: "entries after " + lastDelivered)
				+ "; entries may be delivered again, handlers must be idempotent)");
		this.metrics.groupRecreated(this.settings.stream(), this.settings.group());
		return true;
	}

}
