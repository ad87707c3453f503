/**
 * Internal: the console's built-in pages (one {@code ConsoleSection} per pattern) and its
 * Micrometer metrics, created by {@code ConsoleAutoConfiguration}. Not part of the public API; an
 * application adds pages with its own {@link io.redispatterns.console.ConsoleSection} beans.
 */
@NullMarked
package io.redispatterns.console.internal;

import org.jspecify.annotations.NullMarked;
