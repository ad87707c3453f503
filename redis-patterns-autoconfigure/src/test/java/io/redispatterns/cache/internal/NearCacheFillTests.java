package io.redispatterns.cache.internal;

import java.time.Duration;

import io.redispatterns.cache.CacheMetrics;
import io.redispatterns.cache.NearCacheSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The near cache's guards against storing what a read saw before an invalidation, and its bound. */
class NearCacheFillTests {

	@Test
	void readThatStartedBeforeAnInvalidationDoesNotStoreWhatItRead() {
		NearCache near = new NearCache("products", new NearCacheSettings(10, Duration.ofMinutes(1)), 0, CacheMetrics.NONE,
				() -> true, () -> 1L);
		String entry = new CacheEntry(System.currentTimeMillis() + 60_000, 1, false, "{}").encode();
		NearCache.Fill fill = near.beginFill("k");
		assertThat(fill).isNotNull();
		near.invalidate("k");
		near.completeFill("k", fill, entry);
		assertThat(near.holds("k")).isFalse();
		NearCache.Fill second = near.beginFill("k");
		near.completeFill("k", second, entry);
		assertThat(near.holds("k")).isTrue();
	}

	@Test
	void readThatSpannedALossOfTrackingDoesNotStoreWhatItRead() {
		long[] epoch = { 1 };
		NearCache near = new NearCache("products", new NearCacheSettings(10, Duration.ofMinutes(1)), 0, CacheMetrics.NONE,
				() -> true, () -> epoch[0]);
		String entry = new CacheEntry(System.currentTimeMillis() + 60_000, 1, false, "{}").encode();
		NearCache.Fill fill = near.beginFill("k");
		epoch[0]++;
		near.completeFill("k", fill, entry);
		assertThat(near.holds("k")).isFalse();
	}

	@Test
	void sizeStaysWithinMaxEntries() {
		NearCache near = new NearCache("products", new NearCacheSettings(64, Duration.ofMinutes(1)), 0, CacheMetrics.NONE,
				() -> true, () -> 1L);
		String entry = new CacheEntry(System.currentTimeMillis() + 60_000, 1, false, "{}").encode();
		for (int i = 0; i < 1000; i++) {
			near.completeFill("k" + i, near.beginFill("k" + i), entry);
			assertThat(near.size()).isLessThanOrEqualTo(64);
		}
	}

}
