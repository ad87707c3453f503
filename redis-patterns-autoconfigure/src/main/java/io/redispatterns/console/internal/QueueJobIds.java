package io.redispatterns.console.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import io.redispatterns.queue.internal.QueueKeys;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Reads a page of one queue's job ids in one state, straight from the queue's keys (the queue's public API has
 * no paged listing): waiting jobs in the order they are taken, delayed by due time, active by lease deadline,
 * completed and dead newest first.
 */
final class QueueJobIds {

	private final QueueKeys keys;

	private final StringRedisTemplate redis;

	private final int pageSize;

	QueueJobIds(QueueKeys keys, StringRedisTemplate redis, int pageSize) {
		this.keys = keys;
		this.redis = redis;
		this.pageSize = pageSize;
	}

	/**
	 * Returns the ids of a page.
	 * @param queue the queue
	 * @param state one of waiting, delayed, active, completed, dead
	 * @param offset the index of the page's first job
	 * @param paused whether the queue is paused (its waiting set then starts with the pause marker)
	 * @return the page's ids, empty past the end
	 */
	List<String> page(String queue, String state, long offset, boolean paused) {
		long end = offset + this.pageSize - 1;
		// a paused queue's waiting set holds the pause marker (no job) before every job: skip it
		long skip = (paused && state.equals("waiting")) ? 1 : 0;
		if (state.equals("waiting")) {
			return waitingIds(queue, offset, skip);
		}
		Set<String> ids = switch (state) {
			case "delayed" -> this.redis.opsForZSet().range(this.keys.delayed(queue), offset, end);
			case "active" -> this.redis.opsForZSet().range(this.keys.active(queue), offset, end);
			case "completed" -> this.redis.opsForZSet().reverseRange(this.keys.completed(queue), offset, end);
			default -> this.redis.opsForZSet().reverseRange(this.keys.dead(queue), offset, end);
		};
		if (ids == null) {
			return List.of();
		}
		List<String> list = new ArrayList<>(ids.size());
		for (String member : ids) {
			// an active job's member is its lease, "<id>|<start>|<token>" (a lease of the layout before: the id)
			int separator = member.indexOf('|');
			list.add((separator >= 0) ? member.substring(0, separator) : member);
		}
		return list;
	}

	/**
	 * Waiting jobs in the order they are taken: those of a priority above 0 (sorted set), then those of priority 0 (a
	 * list taken from its right end, where a mark may say that the sorted set holds jobs).
	 */
	private List<String> waitingIds(String queue, long offset, long skip) {
		long end = offset + this.pageSize - 1;
		Set<String> scored = this.redis.opsForZSet().range(this.keys.waiting(queue), offset + skip, end + skip);
		List<String> ids = new ArrayList<>((scored != null) ? scored : Set.of());
		if (ids.size() >= this.pageSize) {
			return ids;
		}
		Long size = this.redis.opsForZSet().zCard(this.keys.waiting(queue));
		long inSet = Math.max(0, ((size != null) ? size : 0) - skip);
		String ready = this.keys.ready(queue);
		long mark = "~p".equals(this.redis.opsForList().index(ready, -1)) ? 1 : 0;
		long from = Math.max(0, offset - inSet) + mark;
		long count = this.pageSize - ids.size();
		List<String> listed = this.redis.opsForList().range(ready, -(from + count), -(from + 1));
		if (listed != null) {
			List<String> inOrder = new ArrayList<>(listed);
			Collections.reverse(inOrder);
			ids.addAll(inOrder);
		}
		return ids;
	}

}
