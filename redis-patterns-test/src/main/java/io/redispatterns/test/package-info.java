/**
 * A real {@code redis-server} for tests and development: standalone, master + replica + Sentinels,
 * and a 3-master Cluster, started from Java with the binary shipped in {@code org.signal:embedded-redis}.
 */
@NullMarked
package io.redispatterns.test;

import org.jspecify.annotations.NullMarked;
