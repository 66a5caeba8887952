package dev.doorman.authz;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL environment conditions are written in. The variables (see README "Authorization: policies"):
 * <ul>
 *   <li>{@code subject}: a typed object {@code {id: string, type: string ("user" or "client"), roles: list(string),
 *       scopes: list(string), attrs: map(string, dyn), authTime: timestamp, amr: list(string)}}. {@code roles}
 *       holds every role in effect for this request: global ones, ones bound on the resource or its parent, and
 *       the roles they inherit. {@code authTime} is absent when unknown: reading it is then an error, which denies
 *       (test with {@code has(subject.authTime)}).</li>
 *   <li>{@code resource}: a map with {@code type}, {@code id}, {@code attrs}, {@code parent} ("type/id", when
 *       given) and every attribute again at the top level, so {@code resource.ownerId} is
 *       {@code resource.attrs.ownerId}.</li>
 *   <li>{@code context}: a map of what the caller passed with the request.</li>
 *   <li>{@code now}: a timestamp, the decision time from the injected clock.</li>
 * </ul>
 * Subject fields are type-checked at load time (a misspelt field or {@code subject.id == 1} is a load error);
 * resource and context are dynamic, so a missing attribute is found at run time, where it denies.
 */
final class Conditions {
    static final String SUBJECT_TYPE = "doorman.Subject";

    private final CelCompiler compiler;
    private final CelRuntime runtime;

    Conditions() {
        CelOptions options = CelOptions.current().build();
        Map<String, CelType> fields = new LinkedHashMap<>();
        fields.put("id", SimpleType.STRING);
        fields.put("type", SimpleType.STRING);
        fields.put("roles", ListType.create(SimpleType.STRING));
        fields.put("scopes", ListType.create(SimpleType.STRING));
        fields.put("attrs", MapType.create(SimpleType.STRING, SimpleType.DYN));
        fields.put("authTime", SimpleType.TIMESTAMP);
        fields.put("amr", ListType.create(SimpleType.STRING));
        StructType subject = StructType.create(SUBJECT_TYPE, ImmutableSet.copyOf(fields.keySet()),
                name -> Optional.ofNullable(fields.get(name)));
        CelTypeProvider types = new CelTypeProvider() {
            @Override
            public ImmutableCollection<CelType> types() {
                return ImmutableList.of(subject);
            }

            @Override
            public Optional<CelType> findType(String name) {
                return name.equals(SUBJECT_TYPE) ? Optional.of(subject) : Optional.empty();
            }
        };
        MapType dynamicMap = MapType.create(SimpleType.STRING, SimpleType.DYN);
        this.compiler = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setTypeProvider(types)
                .addVar("subject", subject)
                .addVar("resource", dynamicMap)
                .addVar("context", dynamicMap)
                .addVar("now", SimpleType.TIMESTAMP)
                .setResultType(SimpleType.BOOL)
                .build();
        this.runtime = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(options).build();
    }

    /** Parses, type-checks and plans {@code expression}; a problem is a {@link CompileError} with its position. */
    Condition compile(String expression) throws CompileError {
        CelValidationResult result = compiler.compile(expression);
        if (result.hasError()) {
            CelIssue first = result.getErrors().get(0);
            throw new CompileError(first.getMessage(), first.getSourceLocation().getLine(), first.getSourceLocation().getColumn());
        }
        try {
            CelAbstractSyntaxTree ast = result.getAst();
            return new Condition(expression, runtime.createProgram(ast));
        } catch (CelValidationException | CelEvaluationException e) {
            throw new CompileError(e.getMessage(), -1, -1);
        }
    }

    /** A condition that does not compile: the message and the 1-based line and 0-based column inside it. */
    static final class CompileError extends Exception {
        final int line;
        final int column;

        CompileError(String message, int line, int column) {
            super(message);
            this.line = line;
            this.column = column;
        }
    }
}
