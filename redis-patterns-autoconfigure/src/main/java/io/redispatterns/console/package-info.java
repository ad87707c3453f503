/**
 * The operator console: server-rendered pages (no front-end build) over the patterns' public APIs
 * — job queues, streams, locks, rate limits, caches, sessions — with audited, CSRF-protected
 * actions. Each page is a {@link io.redispatterns.console.ConsoleSection}; an application adds its
 * own pages (such as a keyspace analysis) by declaring more of them as beans.
 */
@NullMarked
package io.redispatterns.console;

import org.jspecify.annotations.NullMarked;
