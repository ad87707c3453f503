package io.redispatterns.stream;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a {@link RedisStreamListener @RedisStreamListener} method parameter of type {@code String} to one
 * header of the entry, such as {@code type}, {@code id} or {@code published-at} (see {@link StreamHeaders}),
 * the way Spring Messaging's {@code @Header} does for {@code @RedisListener}. A missing header is
 * {@code null}.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface StreamHeader {

	/**
	 * Header name.
	 * @return the name
	 */
	String value();

}
