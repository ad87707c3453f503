package io.redispatterns.stream.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.JsonStrings;
import io.redispatterns.stream.StreamDelivery;
import io.redispatterns.stream.StreamHeader;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Internal: invokes one {@code @RedisStreamListener} method: decodes the payload into the payload parameter's
 * type, passes the {@link StreamDelivery} and {@code @StreamHeader} values.
 */
public final class StreamHandlerMethod {

	private static final String MESSAGING_HEADER = "org.springframework.messaging.handler.annotation.Header";

	private final Object bean;

	private final Method method;

	private final int payloadIndex;

	private final @Nullable ResolvableType payloadType;

	private final @Nullable String[] headerNames;

	private final boolean[] deliveryParameters;

	/** Whether the payload parameter is a {@code String}: its JSON string is unquoted without Jackson. */
	private final boolean stringPayload;

	/** Whether the declared payload type accepts every published type (see {@link #typeMismatch}). */
	private final boolean acceptsEveryType;

	/** The method as {@code (Object[]) -> void}, bound to the bean; {@code null}: call it reflectively. */
	private final @Nullable MethodHandle invoker;

	private static final int MAX_TYPE_VERDICTS = 256;

	/** Published type name to why it does not fit (empty when it does). */
	private final Map<String, Optional<String>> typeVerdicts = new ConcurrentHashMap<>();

	public StreamHandlerMethod(Object bean, Method method) {
		this.bean = bean;
		this.method = method;
		ReflectionUtils.makeAccessible(method);
		Parameter[] parameters = method.getParameters();
		this.headerNames = new String[parameters.length];
		this.deliveryParameters = new boolean[parameters.length];
		int payload = -1;
		for (int i = 0; i < parameters.length; i++) {
			String header = headerName(parameters[i]);
			if (parameters[i].getType() == StreamDelivery.class) {
				this.deliveryParameters[i] = true;
			}
			else if (header != null) {
				if (parameters[i].getType() != String.class) {
					throw new IllegalStateException("@StreamHeader parameters must be Strings: " + method);
				}
				this.headerNames[i] = header;
			}
			else if (payload == -1) {
				payload = i;
			}
			else {
				throw new IllegalStateException("@RedisStreamListener method " + method
						+ " has more than one payload parameter; annotate headers with @StreamHeader");
			}
		}
		this.payloadIndex = payload;
		this.payloadType = (payload >= 0) ? ResolvableType.forMethodParameter(new MethodParameter(method, payload))
				: null;
		this.stringPayload = payload >= 0 && parameters[payload].getType() == String.class;
		this.acceptsEveryType = this.payloadType == null || acceptsEveryType(this.payloadType.toClass());
		this.invoker = invoker(bean, method);
	}

	/**
	 * A method handle of the listener method taking its arguments as an array: unlike {@link Method#invoke} it
	 * wraps no exception and checks no access per call.
	 */
	private static @Nullable MethodHandle invoker(Object bean, Method method) {
		try {
			MethodHandle handle = MethodHandles.lookup().unreflect(method);
			if (!Modifier.isStatic(method.getModifiers())) {
				handle = handle.bindTo(bean);
			}
			return handle.asSpreader(Object[].class, method.getParameterCount())
				.asType(MethodType.methodType(void.class, Object[].class));
		}
		catch (IllegalAccessException | RuntimeException ex) {
			// not accessible to a lookup (a module boundary): Method.invoke still is
			return null;
		}
	}

	private static boolean acceptsEveryType(Class<?> declared) {
		return declared == Object.class || declared == String.class || Map.class.isAssignableFrom(declared)
				|| declared.getName().endsWith(".JsonNode");
	}

	/**
	 * Header name of a parameter annotated with {@link StreamHeader @StreamHeader} or Spring Messaging's
	 * {@code @Header} (the annotation {@code @RedisListener} methods use), read by name so Spring Messaging stays
	 * optional.
	 */
	private static @Nullable String headerName(Parameter parameter) {
		StreamHeader header = parameter.getAnnotation(StreamHeader.class);
		if (header != null) {
			return header.value();
		}
		MergedAnnotation<java.lang.annotation.Annotation> messaging = MergedAnnotations.from(parameter)
			.get(MESSAGING_HEADER);
		if (messaging.isPresent()) {
			String name = messaging.getString("name");
			return name.isEmpty() ? messaging.getString("value") : name;
		}
		return null;
	}

	/** Decodes the payload; throws {@link io.redispatterns.core.JsonCodecException} when it is not valid. */
	@Nullable Object decode(@Nullable String json, JsonCodec codec) {
		if (this.payloadType == null) {
			return null;
		}
		if (json == null) {
			throw new io.redispatterns.core.JsonCodecException("Entry has no payload field",
					new IllegalArgumentException("missing field 'payload'"));
		}
		if (this.stringPayload) {
			String plain = JsonStrings.plainContent(json);
			if (plain != null) {
				return plain;
			}
		}
		return codec.decode(json.getBytes(StandardCharsets.UTF_8), this.payloadType);
	}

	/**
	 * Compares an entry's {@code type} header (the publisher's payload class) with the declared payload
	 * type, so that a payload that decodes only because the target ignores unknown properties (another
	 * event type, every field {@code null}) is not handled as valid. A listener of {@code Object},
	 * {@code String}, a map or a JSON tree accepts every type; an entry without the header (another
	 * producer) is accepted. A class known here must be assignable to the declared type; a class not
	 * known here (another service's copy of the event) must have the declared type's simple name.
	 * @return why the entry does not fit, or {@code null} when it does
	 */
	@Nullable String typeMismatch(@Nullable String publishedType) {
		if (this.acceptsEveryType || this.payloadType == null || publishedType == null || publishedType.isBlank()) {
			return null;
		}
		Optional<String> known = this.typeVerdicts.get(publishedType);
		if (known != null) {
			return known.orElse(null);
		}
		String verdict = checkType(this.payloadType, publishedType);
		if (this.typeVerdicts.size() < MAX_TYPE_VERDICTS) {
			// a stream carries few types; the bound keeps arbitrary header values from growing it
			this.typeVerdicts.put(publishedType, Optional.ofNullable(verdict));
		}
		return verdict;
	}

	private @Nullable String checkType(ResolvableType payloadType, String publishedType) {
		Class<?> declared = payloadType.toClass();
		if (acceptsEveryType(declared)) {
			return null;
		}
		Class<?> published;
		try {
			published = ClassUtils.forName(publishedType, this.bean.getClass().getClassLoader());
		}
		catch (ClassNotFoundException | LinkageError ex) {
			published = null;
		}
		if (published != null) {
			if (ClassUtils.isAssignable(declared, published)) {
				return null;
			}
		}
		else if (simpleName(publishedType).equals(declared.getSimpleName())) {
			return null;
		}
		return "Payload type " + publishedType + " (type header) does not match the listener's declared type "
				+ declared.getName();
	}

	private static String simpleName(String className) {
		int cut = Math.max(className.lastIndexOf('.'), className.lastIndexOf('$'));
		return className.substring(cut + 1);
	}

	void invoke(@Nullable Object payload, StreamDelivery delivery) throws Throwable {
		Object[] args = new Object[this.deliveryParameters.length];
		for (int i = 0; i < args.length; i++) {
			if (i == this.payloadIndex) {
				args[i] = payload;
			}
			else if (this.deliveryParameters[i]) {
				args[i] = delivery;
			}
			else if (this.headerNames[i] != null) {
				args[i] = delivery.header(this.headerNames[i]);
			}
		}
		MethodHandle invoker = this.invoker;
		if (invoker != null) {
			invoker.invokeExact(args);
			return;
		}
		try {
			this.method.invoke(this.bean, args);
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
