/**
 * Side-by-side measurements of redis-patterns against the libraries and hand-rolled code users would
 * pick instead. Run by hand with {@code exec:java}; see {@code benchmarks/RESULTS.md}.
 */
@NullMarked
package io.redispatterns.benchmarks;

import org.jspecify.annotations.NullMarked;
