package org.decisiongraph.projection.workload;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.UUID;

import org.decisiongraph.core.event.Actor;
import org.decisiongraph.core.event.EventEnvelope;
import org.decisiongraph.core.event.Source;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonNull;
import org.decisiongraph.core.json.JsonObject;

/**
 * A seeded stream of realistic, valid event envelopes: decision traces of 7-10 events (start, related entity,
 * input, policy evaluation, optional exception request and approval, optional precedent citation, proposed and
 * committed action, finish), interleaved across {@code concurrentTraces} open traces, over a pool of entities
 * drawn with a skewed (power-law like) distribution and a pool of versioned policies. The same config gives the
 * same events. Memory is bounded by the number of open traces.
 *
 * <p>Options for tests: unfinished traces, WorkflowReviewRequested events (platform type set), non-ASCII
 * strings, and "oddities": valid but unusual shapes (approval before the request, commit without proposal,
 * citing a trace that starts later or the trace itself, action ids shared across traces, repeated policy
 * evaluations). Generated strings avoid the PII guard's patterns ({@code sk-}, {@code asia}, {@code token=},
 * ...): no {@code -} or {@code =} outside UUIDs.
 */
public final class TraceGenerator implements Iterator<EventEnvelope> {
    private static final String[] WORKFLOWS = {"deal_approval", "renewal_discount", "support_escalation", "refund_review",
            "payout_release", "crm_sync"};
    private static final String[] ENTITY_TYPES = {"account", "opportunity", "ticket", "invoice", "customer"};
    private static final String[] ENTITY_PREFIXES = {"acct", "opp", "tkt", "inv", "cust"};
    private static final String[] SYSTEMS = {"salesforce", "salesforce", "zendesk", "billing", "crm"};
    private static final String[] POLICY_NAMES = {"discount_cap", "refund_limit", "payout_gate", "escalation_criteria",
            "sync_guard", "credit_check", "approval_matrix", "renewal_terms"};
    private static final String[] VERSIONS = {"1.0", "1.1", "2.0", "3.2"};
    private static final String[] OUTCOMES = {"success", "success", "success", "failure", "abandoned"};
    private static final String[] UNICODE = {"\u00e9", "\u00fc", "\u00df", "\u4e2d\u6587", "\uD83D\uDE00", "\uD83C\uDF89",
            "\uE000", "\uFFFD", "\u03a9", "\u00f1", "\uD834\uDD1E"};
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

    /**
     * @param seed             random seed
     * @param traces           number of traces
     * @param concurrentTraces traces open at the same time (interleaving width)
     * @param entities         size of the entity pool
     * @param policies         size of the policy pool
     * @param entitySkew       1 = uniform; larger values concentrate on few entities
     * @param exceptionRate    share of traces with an exception request and approval
     * @param precedentRate    share of traces citing an earlier finished trace
     * @param unfinishedRate   share of traces that stop before their TraceFinished
     * @param reviewRate       share of traces with a WorkflowReviewRequested (platform type set only)
     * @param oddityRate       share of traces with one unusual but valid shape
     * @param unicode          whether titles and some ids carry non-ASCII characters
     * @param start            occurred_at of the first trace's start
     */
    public record Config(long seed, int traces, int concurrentTraces, int entities, int policies, double entitySkew,
                         double exceptionRate, double precedentRate, double unfinishedRate, double reviewRate,
                         double oddityRate, boolean unicode, Instant start) {
        public Config {
            if (traces < 0 || concurrentTraces < 1 || entities < 1 || policies < 1 || entitySkew < 1) {
                throw new IllegalArgumentException("invalid workload config");
            }
        }

        /** Realistic workload: 16 open traces, skewed entities, 30% exceptions, 20% citations, all finished. */
        public static Config realistic(long seed, int traces) {
            return new Config(seed, traces, 16, Math.max(1, traces / 4), 12, 3.0, 0.3, 0.2, 0.0, 0.0, 0.0, false,
                    Instant.parse("2025-12-31T00:00:00Z"));
        }

        public Config withShape(int concurrent, int entityPool, int policyPool) {
            return new Config(seed, traces, concurrent, entityPool, policyPool, entitySkew, exceptionRate, precedentRate,
                    unfinishedRate, reviewRate, oddityRate, unicode, start);
        }

        public Config withRates(double exceptions, double precedents, double unfinished, double reviews, double oddities) {
            return new Config(seed, traces, concurrentTraces, entities, policies, entitySkew, exceptions, precedents,
                    unfinished, reviews, oddities, unicode, start);
        }

        public Config withUnicode(boolean on) {
            return new Config(seed, traces, concurrentTraces, entities, policies, entitySkew, exceptionRate,
                    precedentRate, unfinishedRate, reviewRate, oddityRate, on, start);
        }
    }

    private final Config config;
    private final SplittableRandom random;
    private final List<Plan> open = new ArrayList<>();
    private final ArrayDeque<String> finishedTraces = new ArrayDeque<>();
    private final ArrayDeque<String> recentActions = new ArrayDeque<>();
    private int started;
    private String nextTraceId;

    public TraceGenerator(Config config) {
        this.config = config;
        this.random = new SplittableRandom(config.seed());
        this.nextTraceId = uuid();
    }

    /** All events of the config, in emission order. */
    public static List<EventEnvelope> generate(Config config) {
        List<EventEnvelope> out = new ArrayList<>();
        new TraceGenerator(config).forEachRemaining(out::add);
        return out;
    }

    @Override
    public boolean hasNext() {
        fill();
        return !open.isEmpty();
    }

    @Override
    public EventEnvelope next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int i = random.nextInt(open.size());
        Plan plan = open.get(i);
        EventEnvelope e = plan.events.get(plan.position++);
        if (plan.position == plan.events.size()) {
            open.set(i, open.getLast());
            open.removeLast();
            if (plan.finished) {
                remember(finishedTraces, plan.traceId, 256);
            }
        }
        return e;
    }

    private void fill() {
        while (open.size() < config.concurrentTraces() && started < config.traces()) {
            open.add(plan(started++));
        }
    }

    private static void remember(ArrayDeque<String> ring, String value, int capacity) {
        ring.addLast(value);
        if (ring.size() > capacity) {
            ring.removeFirst();
        }
    }

    private boolean chance(double p) {
        return random.nextDouble() < p;
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private String uuid() {
        long hi = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lo = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    private String text(String ascii) {
        return config.unicode() && chance(0.5) ? ascii + " " + pick(UNICODE) : ascii;
    }

    /** An entity of the pool; low indexes are drawn far more often when the skew is above 1. */
    private JsonObject entity() {
        int index = (int) (config.entities() * Math.pow(random.nextDouble(), config.entitySkew()));
        int kind = index % ENTITY_TYPES.length;
        String id = ENTITY_PREFIXES[kind] + ":" + String.format("%06d", index);
        if (config.unicode() && index % 7 == 3) {
            id = id + UNICODE[index % UNICODE.length];
        }
        return JsonObject.builder().put("entity_type", ENTITY_TYPES[kind]).put("entity_id", id)
                .put("system", SYSTEMS[kind]).build();
    }

    private JsonObject policy() {
        int index = (int) (config.policies() * Math.pow(random.nextDouble(), 1.5));
        String name = POLICY_NAMES[index % POLICY_NAMES.length];
        if (index >= POLICY_NAMES.length) {
            name = name + "_" + (index / POLICY_NAMES.length);
        }
        return JsonObject.builder().put("policy_id", name).put("policy_version", VERSIONS[index % VERSIONS.length]).build();
    }

    private static JsonObject value(String type, String v) {
        return JsonObject.builder().put("type", type).put("value", v).build();
    }

    private static Json fact(String key, JsonObject value) {
        return JsonObject.builder().put("key", key).put("value", value).put("as_of", JsonNull.INSTANCE).build();
    }

    private static final class Plan {
        final String traceId;
        final List<EventEnvelope> events = new ArrayList<>(11);
        boolean finished;
        int position;

        Plan(String traceId) {
            this.traceId = traceId;
        }
    }

    private enum Oddity { APPROVAL_FIRST, COMMIT_UNPROPOSED, CITE_LATER_TRACE, CITE_SELF, SHARED_ACTION, POLICY_TWICE }

    private Plan plan(int index) {
        String traceId = nextTraceId;
        nextTraceId = uuid();
        Plan plan = new Plan(traceId);
        String workflow = WORKFLOWS[index % WORKFLOWS.length];
        Actor agent = new Actor("agent", workflow + "_agent_v1");
        Source source = new Source(workflow + "_service", "decision_platform", null);
        Instant t0 = config.start().plusSeconds(index * 7L);
        String shortId = traceId.substring(0, 8);
        Oddity oddity = chance(config.oddityRate()) ? pick(Oddity.values()) : null;

        JsonObject primary = entity();
        JsonObject related = entity();
        JsonObject policy = policy();
        boolean exception = chance(config.exceptionRate());
        String inputId = "input:" + workflow + "_" + random.nextInt(20);
        String exceptionId = "exc:" + shortId;
        String actionId = oddity == Oddity.SHARED_ACTION && !recentActions.isEmpty()
                ? recentActions.peekFirst() : "act:" + shortId;
        remember(recentActions, actionId, 16);

        List<Object[]> steps = new ArrayList<>();
        steps.add(new Object[] {"TraceStarted", JsonObject.builder().put("workflow", workflow)
                .put("title", text("Decision for " + primary.getString("entity_id"))).put("primary_entity", primary).build()});
        steps.add(new Object[] {"EntityObserved", JsonObject.builder().put("entity", related).put("role", "related")
                .put("facts", Json.array(List.of(fact("segment", value("string", text("enterprise")))))).build()});
        steps.add(new Object[] {"InputObserved", JsonObject.builder().put("input_id", inputId)
                .put("source", JsonObject.builder().put("system", primary.getString("system"))
                        .put("object_type", primary.getString("entity_type")).put("object_id", primary.getString("entity_id"))
                        .put("locator", JsonNull.INSTANCE).build())
                .put("facts", Json.array(List.of(fact("amount", value("decimal", random.nextInt(100_000) + ".50"))))).build()});
        JsonObject evaluation = JsonObject.builder().put("policy", policy).put("inputs", Json.strings(List.of(inputId)))
                .put("decision", exception ? "require_exception" : chance(0.8) ? "allow" : "deny").build();
        steps.add(new Object[] {"PolicyEvaluated", evaluation});
        if (oddity == Oddity.POLICY_TWICE) {
            steps.add(new Object[] {"PolicyEvaluated", evaluation});
        }
        if (exception) {
            Object[] request = {"ExceptionRequested", JsonObject.builder().put("exception_id", exceptionId)
                    .put("policy", policy).put("reason", text("Customer asks for terms above the cap")).build()};
            Object[] approval = {"ApprovalRecorded", JsonObject.builder().put("approval_id", "apr:" + shortId)
                    .put("subject", JsonObject.builder().put("subject_type", "exception").put("subject_id", exceptionId).build())
                    .put("approver", JsonObject.builder().put("actor_type", "person")
                            .put("actor_id", "approver_" + random.nextInt(8)).build())
                    .put("decision", chance(0.85) ? "approved" : "rejected").put("reason", "within guidelines").build()};
            if (oddity == Oddity.APPROVAL_FIRST) {
                steps.add(approval);
                steps.add(request);
            } else {
                steps.add(request);
                steps.add(approval);
            }
        }
        String cited = null;
        if (oddity == Oddity.CITE_LATER_TRACE) {
            cited = nextTraceId;
        } else if (oddity == Oddity.CITE_SELF) {
            cited = traceId;
        } else if (chance(config.precedentRate()) && !finishedTraces.isEmpty()) {
            cited = finishedTraces.toArray(String[]::new)[random.nextInt(finishedTraces.size())];
        }
        if (cited != null) {
            steps.add(new Object[] {"PrecedentCited", JsonObject.builder().put("cited_trace_id", cited)
                    .put("reason", "similar decision").put("similarity_score", "0." + (50 + random.nextInt(50))).build()});
        }
        if (chance(config.reviewRate())) {
            steps.add(new Object[] {"WorkflowReviewRequested", JsonObject.builder().put("template_id", "tpl_" + workflow)
                    .put("workflow_kind", "manual_review").put("title", text("Review " + workflow)).put("reason", "spot check")
                    .put("priority", "normal").put("assignee", JsonObject.builder().put("team", "ops").build())
                    .put("subject", JsonObject.builder().put("subject_type", "trace").put("subject_id", traceId).build())
                    .put("simulation", JsonObject.empty()).put("sla_hours", 24).build()});
        }
        steps.add(new Object[] {"ActionProposed", JsonObject.builder().put("action_id", actionId)
                .put("action_type", "apply_" + workflow).put("target_entity", primary).put("target_system", primary.getString("system"))
                .put("changes", Json.array(List.of(JsonObject.builder().put("path", "terms.discount")
                        .put("old_value", JsonNull.INSTANCE).put("new_value", value("decimal", random.nextInt(30) + ".0")).build())))
                .build()});
        String committed = oddity == Oddity.COMMIT_UNPROPOSED ? "act:unproposed:" + shortId : actionId;
        steps.add(new Object[] {"ActionCommitted", JsonObject.builder().put("action_id", committed)
                .put("status", chance(0.9) ? "success" : "failure").put("external_reference", JsonNull.INSTANCE).build()});
        plan.finished = !chance(config.unfinishedRate());
        if (plan.finished) {
            steps.add(new Object[] {"TraceFinished", JsonObject.builder().put("outcome", pick(OUTCOMES)).build()});
        } else {
            // an unfinished trace stops somewhere after its start
            int keep = 1 + random.nextInt(steps.size());
            steps.subList(keep, steps.size()).clear();
        }
        for (int seq = 0; seq < steps.size(); seq++) {
            String type = (String) steps.get(seq)[0];
            JsonObject payload = (JsonObject) steps.get(seq)[1];
            plan.events.add(new EventEnvelope(uuid(), traceId, seq, type, ISO.format(t0.plusSeconds(seq)), source, agent,
                    traceId + ":" + seq, payload, null, null, 1, List.of()));
        }
        return plan;
    }
}
