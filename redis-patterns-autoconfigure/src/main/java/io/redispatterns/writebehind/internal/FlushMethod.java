package io.redispatterns.writebehind.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.redispatterns.core.JsonCodec;
import io.redispatterns.writebehind.WriteBehindBatch;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.util.ReflectionUtils;

/**
 * Internal: invokes one {@code @WriteBehindFlush} method with a {@link WriteBehindBatch} whose values are
 * decoded into the batch parameter's type argument.
 */
public final class FlushMethod {

	private final Object bean;

	private final Method method;

	private final ResolvableType itemType;

	public FlushMethod(Object bean, Method method) {
		this.bean = bean;
		this.method = method;
		if (method.getParameterCount() != 1 || method.getParameterTypes()[0] != WriteBehindBatch.class) {
			throw new IllegalStateException("@WriteBehindFlush method " + description()
					+ " must take exactly one WriteBehindBatch<T> parameter");
		}
		ReflectionUtils.makeAccessible(method);
		ResolvableType batchType = ResolvableType.forMethodParameter(new MethodParameter(method, 0));
		ResolvableType item = batchType.getGeneric(0);
		this.itemType = (item.resolve() != null) ? item : ResolvableType.forClass(Object.class);
	}

	/** Decodes the stored values; throws {@link io.redispatterns.core.JsonCodecException} when one does not decode. */
	<T> WriteBehindBatch<T> batch(String buffer, TakenBatch taken, JsonCodec codec) {
		Map<String, T> items = new LinkedHashMap<>();
		taken.items().forEach((key, json) -> items.put(key, codec.decode(json.getBytes(StandardCharsets.UTF_8),
				this.itemType)));
		return new WriteBehindBatch<>(buffer, taken.id(), taken.attempt(), items);
	}

	void invoke(WriteBehindBatch<?> batch) throws Throwable {
		try {
			this.method.invoke(this.bean, batch);
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
