package io.redispatterns.sample.stream;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

/**
 * In-memory counts of this instance: orders published and distinct orders billed.
 */
@Component
class OrderStats {

	final AtomicLong published = new AtomicLong();

	final Set<String> processed = ConcurrentHashMap.newKeySet();

}
