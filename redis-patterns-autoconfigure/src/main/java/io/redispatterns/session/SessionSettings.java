package io.redispatterns.session;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.session.FlushMode;
import org.springframework.session.SaveMode;
import org.springframework.util.Assert;

/**
 * How the library's session repository stores sessions. Immutable; change a copy with the
 * {@code withXxx} methods.
 *
 * @param defaultMaxInactiveInterval idle time after which a session expires
 * ({@code spring.session.timeout}); also used for sessions whose own interval is not positive
 * @param flushMode when changes are written ({@code spring.session.data.redis.flush-mode})
 * @param saveMode which attributes are written on save ({@code spring.session.data.redis.save-mode})
 * @param maxPerUser most sessions one principal may hold; beyond it the least recently used are
 * revoked (0: unlimited)
 * @param absoluteTimeout lifetime after which a session ends however active it is ({@code null}: none)
 * @param touchInterval least time between two writes caused only by a new last-access time
 */
public record SessionSettings(Duration defaultMaxInactiveInterval, FlushMode flushMode, SaveMode saveMode,
		int maxPerUser, @Nullable Duration absoluteTimeout, Duration touchInterval) {

	/**
	 * Validates the settings.
	 * @param defaultMaxInactiveInterval idle timeout
	 * @param flushMode flush mode
	 * @param saveMode save mode
	 * @param maxPerUser session limit per principal
	 * @param absoluteTimeout absolute lifetime
	 * @param touchInterval last-access write throttle
	 */
	public SessionSettings {
		Assert.isTrue(!defaultMaxInactiveInterval.isNegative() && !defaultMaxInactiveInterval.isZero(),
				"defaultMaxInactiveInterval must be positive");
		Assert.isTrue(maxPerUser >= 0, "maxPerUser must not be negative");
		Assert.isTrue(absoluteTimeout == null || (!absoluteTimeout.isNegative() && !absoluteTimeout.isZero()),
				"absoluteTimeout must be positive");
		Assert.isTrue(!touchInterval.isNegative(), "touchInterval must not be negative");
	}

	/**
	 * Returns Spring Session's defaults: 30 minutes idle timeout, flush on save, save set attributes,
	 * no session limit, no absolute timeout, last access written at most once a minute.
	 * @return the defaults
	 */
	public static SessionSettings defaults() {
		return new SessionSettings(Duration.ofMinutes(30), FlushMode.ON_SAVE, SaveMode.ON_SET_ATTRIBUTE, 0, null,
				Duration.ofMinutes(1));
	}

	/**
	 * Returns a copy with another idle timeout.
	 * @param timeout the idle timeout
	 * @return the copy
	 */
	public SessionSettings withDefaultMaxInactiveInterval(Duration timeout) {
		return new SessionSettings(timeout, this.flushMode, this.saveMode, this.maxPerUser, this.absoluteTimeout,
				this.touchInterval);
	}

	/**
	 * Returns a copy with another flush mode.
	 * @param mode the flush mode
	 * @return the copy
	 */
	public SessionSettings withFlushMode(FlushMode mode) {
		return new SessionSettings(this.defaultMaxInactiveInterval, mode, this.saveMode, this.maxPerUser,
				this.absoluteTimeout, this.touchInterval);
	}

	/**
	 * Returns a copy with another save mode.
	 * @param mode the save mode
	 * @return the copy
	 */
	public SessionSettings withSaveMode(SaveMode mode) {
		return new SessionSettings(this.defaultMaxInactiveInterval, this.flushMode, mode, this.maxPerUser,
				this.absoluteTimeout, this.touchInterval);
	}

	/**
	 * Returns a copy with another session limit per principal.
	 * @param max the limit (0: unlimited)
	 * @return the copy
	 */
	public SessionSettings withMaxPerUser(int max) {
		return new SessionSettings(this.defaultMaxInactiveInterval, this.flushMode, this.saveMode, max,
				this.absoluteTimeout, this.touchInterval);
	}

	/**
	 * Returns a copy with another absolute lifetime.
	 * @param timeout the lifetime ({@code null}: none)
	 * @return the copy
	 */
	public SessionSettings withAbsoluteTimeout(@Nullable Duration timeout) {
		return new SessionSettings(this.defaultMaxInactiveInterval, this.flushMode, this.saveMode, this.maxPerUser,
				timeout, this.touchInterval);
	}

	/**
	 * Returns a copy with another last-access write throttle.
	 * @param interval the least time between two last-access writes
	 * @return the copy
	 */
	public SessionSettings withTouchInterval(Duration interval) {
		return new SessionSettings(this.defaultMaxInactiveInterval, this.flushMode, this.saveMode, this.maxPerUser,
				this.absoluteTimeout, interval);
	}

}
