package io.redispatterns.ratelimit;

import java.lang.reflect.Method;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * What a key is resolved from: the current HTTP request (when there is one), and for a bean
 * method the method and its arguments. SpEL keys see the arguments by name ({@code #user}),
 * {@code #args}, {@code #request} and, for MVC handlers, {@code #pathVariables}.
 *
 * @param policy the policy being applied
 * @param request the current request, or {@code null} outside a web request
 * @param method the limited method, or {@code null} for a path policy
 * @param arguments the method's arguments; empty for MVC handlers (resolved after the interceptor)
 * @param pathVariables URI template variables of an MVC handler; empty otherwise
 */
public record RateLimitKeyContext(RateLimitPolicy policy, @Nullable HttpServletRequest request,
		@Nullable Method method, @Nullable Object[] arguments, Map<String, String> pathVariables) {

}
