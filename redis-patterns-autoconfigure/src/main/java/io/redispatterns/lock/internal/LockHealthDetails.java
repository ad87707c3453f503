package io.redispatterns.lock.internal;

import io.redispatterns.core.PatternHealthDetails;
import io.redispatterns.lock.LockTemplate;

import org.springframework.boot.health.contributor.Health;

/**
 * The {@code lock} section of the {@code redisPatterns} health contributor: always {@code UP}
 * (Redis reachability is the contributor's own check) with the leases this application holds,
 * its waiting threads, its wake-up subscriptions and how waiters are woken. Makes no Redis call.
 */
public final class LockHealthDetails implements PatternHealthDetails {

	private final RedisLockTemplate template;

	/**
	 * Creates the section.
	 * @param template the lock template (built by {@link LockTemplate#builder})
	 */
	public LockHealthDetails(LockTemplate template) {
		if (!(template instanceof RedisLockTemplate redisTemplate)) {
			throw new IllegalArgumentException("LockHealthDetails needs a LockTemplate built by LockTemplate.builder");
		}
		this.template = redisTemplate;
	}

	@Override
	public String patternName() {
		return "lock";
	}

	@Override
	public Health health() {
		return Health.up()
			.withDetail("heldByThisApplication", this.template.heldLeases())
			.withDetail("waitingThreads", this.template.wakeUps().waiting())
			.withDetail("wakeUpSubscriptions", this.template.wakeUps().subscriptions())
			.withDetail("wakeUps", this.template.wakeUps().mode())
			.build();
	}

}
