package dev.doorman.authz;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Brings caller-supplied attribute values into the types CEL's runtime expects (int64, double, timestamp). */
final class CelValues {
    private CelValues() {}

    static Map<String, Object> map(Map<String, ?> in) {
        Map<String, Object> out = new HashMap<>(in.size() * 2);
        in.forEach((k, v) -> out.put(k, value(v)));
        return out;
    }

    static Object value(Object v) {
        return switch (v) {
            case null -> com.google.protobuf.NullValue.NULL_VALUE;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Float f -> f.doubleValue();
            case java.math.BigInteger b -> b.longValueExact();
            case java.math.BigDecimal d -> d.doubleValue();
            case OffsetDateTime t -> t.toInstant();
            case ZonedDateTime t -> t.toInstant();
            case Instant i -> i;
            case Map<?, ?> m -> {
                Map<String, Object> out = new HashMap<>(m.size() * 2);
                m.forEach((k, x) -> out.put(String.valueOf(k), value(x)));
                yield out;
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                for (Object x : l) out.add(value(x));
                yield out;
            }
            case java.util.Set<?> s -> value(new ArrayList<>(s));
            default -> v;
        };
    }
}
