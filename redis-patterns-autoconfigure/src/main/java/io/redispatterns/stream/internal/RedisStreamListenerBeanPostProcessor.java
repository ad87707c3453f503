package io.redispatterns.stream.internal;

import java.lang.reflect.Method;

import io.redispatterns.core.AnnotatedMethodBeanPostProcessor;
import io.redispatterns.stream.RedisStreamListener;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Internal: finds {@link RedisStreamListener @RedisStreamListener} methods on beans and registers one listener
 * container per method with the {@link StreamListenerRegistry}.
 */
public final class RedisStreamListenerBeanPostProcessor extends AnnotatedMethodBeanPostProcessor<RedisStreamListener> {

	private final ObjectProvider<StreamListenerFactory> factory;

	public RedisStreamListenerBeanPostProcessor(ObjectProvider<StreamListenerFactory> factory) {
		super(RedisStreamListener.class);
		this.factory = factory;
	}

	@Override
	protected void register(Object bean, Method method, RedisStreamListener annotation) {
		this.factory.getObject().register(annotation, new StreamHandlerMethod(bean, method), this::resolve);
	}

	/** Creates and registers containers; implemented by the auto-configuration. */
	public interface StreamListenerFactory {

		void register(RedisStreamListener annotation, StreamHandlerMethod handler,
				java.util.function.Function<String, String> resolver);

	}


}
