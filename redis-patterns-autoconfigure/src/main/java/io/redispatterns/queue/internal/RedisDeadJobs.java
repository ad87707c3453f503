package io.redispatterns.queue.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.queue.DeadJob;
import io.redispatterns.queue.DeadJobs;
import io.redispatterns.queue.JobId;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Internal: the Redis implementation of {@link DeadJobs}.
 */
public final class RedisDeadJobs implements DeadJobs {

	private static final int BATCH = 500;

	private final StringRedisTemplate redis;

	private final LuaScriptRunner scripts;

	private final QueueKeys keys;

	public RedisDeadJobs(StringRedisTemplate redis, QueueKeys keys) {
		this.redis = redis;
		this.scripts = new LuaScriptRunner(this.redis::getRequiredConnectionFactory);
		this.keys = keys;
	}

	@Override
	public List<DeadJob> list(String queue, int limit) {
		Set<String> ids = this.redis.opsForZSet().reverseRange(this.keys.dead(queue), 0, limit - 1L);
		List<DeadJob> dead = new ArrayList<>();
		if (ids == null) {
			return dead;
		}
		for (String id : ids) {
			Map<Object, Object> fields = this.redis.opsForHash().entries(this.keys.job(queue, id));
			DeadJob job = JobStatusReader.dead(JobId.of(id), fields);
			if (job != null) {
				dead.add(job);
			}
		}
		return dead;
	}

	@Override
	public long count(String queue) {
		Long size = this.redis.opsForZSet().zCard(this.keys.dead(queue));
		return (size != null) ? size : 0;
	}

	@Override
	public boolean retry(String queue, JobId id) {
		Long moved = this.scripts.run(QueueScripts.DEAD_RETRY, deadRetryKeys(queue), this.keys.base(queue), "-",
				"0", id.value());
		return moved != null && moved == 1;
	}

	@Override
	public long retryAll(String queue) {
		long total = 0;
		while (true) {
			Long moved = this.scripts.run(QueueScripts.DEAD_RETRY, deadRetryKeys(queue), this.keys.base(queue), "*",
					Integer.toString(BATCH));
			if (moved == null || moved == 0) {
				return total;
			}
			total += moved;
		}
	}

	@Override
	public long purge(String queue) {
		long total = 0;
		while (true) {
			Long deleted = this.scripts.run(QueueScripts.DEAD_PURGE, List.of(this.keys.dead(queue)),
					this.keys.base(queue), Integer.toString(BATCH));
			if (deleted == null || deleted == 0) {
				return total;
			}
			total += deleted;
		}
	}

	private List<String> deadRetryKeys(String queue) {
		return List.of(this.keys.dead(queue), this.keys.waiting(queue), this.keys.marker(queue), this.keys.meta(queue));
	}

}
