package io.redispatterns.queue.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

import io.redispatterns.core.JsonCodec;
import io.redispatterns.queue.JobContext;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.util.ReflectionUtils;

/**
 * Internal: invokes one {@code @RedisJobHandler} method: the payload is decoded into the payload parameter's
 * declared type, a {@link JobContext} parameter receives the context; the return value is the job's result.
 */
public final class JobHandlerMethod {

	private final Object bean;

	private final Method method;

	private final int payloadIndex;

	private final int contextIndex;

	private final @Nullable ResolvableType payloadType;

	public JobHandlerMethod(Object bean, Method method) {
		this.bean = bean;
		this.method = method;
		ReflectionUtils.makeAccessible(method);
		int payload = -1;
		int context = -1;
		Class<?>[] types = method.getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			if (types[i] == JobContext.class) {
				context = i;
			}
			else if (payload == -1) {
				payload = i;
			}
			else {
				throw new IllegalStateException("@RedisJobHandler method " + method
						+ " may declare one payload parameter and a JobContext, nothing else");
			}
		}
		this.payloadIndex = payload;
		this.contextIndex = context;
		this.payloadType = (payload >= 0) ? ResolvableType.forMethodParameter(new MethodParameter(method, payload))
				: null;
	}

	/** Decodes the payload; throws {@link io.redispatterns.core.JsonCodecException} when it does not decode. */
	@Nullable Object decode(String json, JsonCodec codec) {
		if (this.payloadType == null) {
			return null;
		}
		return codec.decode(json.getBytes(StandardCharsets.UTF_8), this.payloadType);
	}

	@Nullable Object invoke(@Nullable Object payload, JobContext context) throws Throwable {
		Object[] args = new Object[this.method.getParameterCount()];
		if (this.payloadIndex >= 0) {
			args[this.payloadIndex] = payload;
		}
		if (this.contextIndex >= 0) {
			args[this.contextIndex] = context;
		}
		try {
			return this.method.invoke(this.bean, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

	public String description() {
		Class<?> type = this.method.getDeclaringClass();
		return (type.getSimpleName().isEmpty() ? type.getName() : type.getSimpleName()) + "." + this.method.getName();
	}

}
