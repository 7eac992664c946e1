package dev.bulwark.control.trustsafety;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.api.ApiException;
import dev.bulwark.control.audit.AuditLog;
import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.auth.Role;
import dev.bulwark.control.store.ConfigStore;
import dev.bulwark.control.store.FieldError;
import dev.bulwark.control.store.StoreException;
import dev.bulwark.control.store.WriteLock;
import dev.bulwark.core.config.ConfigLoader;
import dev.bulwark.core.challenge.FormChallenge;
import dev.bulwark.core.challenge.InMemoryKeyRing;
import dev.bulwark.core.challenge.ProofOfWork;
import dev.bulwark.core.config.EnforcementConfig;
import dev.bulwark.core.spi.KeyRing;
import dev.bulwark.core.time.Clock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Trust and safety: abuse reports in, decisions out, every step on the record.
 *
 * <p>Design: each operation is one database transaction that holds the store's
 * {@link WriteLock} and appends its audit entry, so a report, the alert it raises and the
 * notifications it causes commit together, and the audit chain covers every state change.
 * Enforcement goes further: the action row, the reports it marks actioned and the zone's new
 * {@link EnforcementConfig} are written through {@link ConfigStore#editZone} in one transaction
 * that also creates the config version, which the store then publishes on the snapshot bus, so
 * every edge serves the notice within its poll interval. The zone's enforcement is always
 * recomputed from its applied actions ({@link EnforcementState}), never patched, so a restore is
 * just "reverse, recompute".
 *
 * <p>Termination follows the {@link TwoPersonRule}: one operator proposes, a different one
 * approves. Other actions apply at once. Any applied action can be appealed and reversed.
 */
public final class TrustSafety implements AutoCloseable {
    /**
     * @param publicUrl base URL of the control plane's public pages (abuse form, transparency),
     *                  e.g. {@code https://abuse.example.net}; zones redirect
     *                  {@code /.well-known/bulwark/abuse} to its {@code /abuse}. Null: no redirect.
     * @param escalation the escalation thresholds
     * @param deliveryInterval how often the outbox is worked and overdue proposals are expired
     *                  (zero: only when {@link #deliverNotifications()} / {@link #expireProposals()} are called)
     * @param formDifficulty proof-of-work bits a public report must solve (default 16)
     * @param puzzleTtl how long a report puzzle stays valid: the time to fill in the form (default 1 h)
     * @param proposalTtl how long a proposed termination waits for a second operator before it expires (default 72 h)
     * @param teamContact where the trust-and-safety team is notified (a new appeal): an e-mail address or
     *                  webhook URL; the default {@value #DEFAULT_TEAM_CONTACT} names the team for the
     *                  {@link LogNotifier} and a {@link WebhookNotifier}'s fallback URL
     */
    public record Settings(String publicUrl, EscalationDetector.Settings escalation, Duration deliveryInterval,
                           int formDifficulty, Duration puzzleTtl, Duration proposalTtl, String teamContact) {
        public static final String DEFAULT_TEAM_CONTACT = "trust-and-safety";
        public static final int DEFAULT_FORM_DIFFICULTY = 16;
        public static final Duration DEFAULT_PUZZLE_TTL = Duration.ofHours(1);
        public static final Duration DEFAULT_PROPOSAL_TTL = Duration.ofHours(72);

        /** The given URL, thresholds and interval with the default puzzle and proposal settings. */
        public Settings(String publicUrl, EscalationDetector.Settings escalation, Duration deliveryInterval) {
            this(publicUrl, escalation, deliveryInterval, DEFAULT_FORM_DIFFICULTY, DEFAULT_PUZZLE_TTL, DEFAULT_PROPOSAL_TTL, DEFAULT_TEAM_CONTACT);
        }

        public Settings {
            teamContact = teamContact == null || teamContact.isBlank() ? DEFAULT_TEAM_CONTACT : teamContact.trim();
        }

        /** No public URL (no abuse-form redirect); notifications delivered every 10 s. */
        public static Settings defaults() { return new Settings(null, EscalationDetector.Settings.defaults(), Duration.ofSeconds(10)); }

        public Settings withFormDifficulty(int bits) {
            return new Settings(publicUrl, escalation, deliveryInterval, bits, puzzleTtl, proposalTtl, teamContact);
        }

        public Settings withProposalTtl(Duration ttl) {
            return new Settings(publicUrl, escalation, deliveryInterval, formDifficulty, puzzleTtl, ttl, teamContact);
        }

        public Settings withTeamContact(String contact) {
            return new Settings(publicUrl, escalation, deliveryInterval, formDifficulty, puzzleTtl, proposalTtl, contact);
        }
    }

    /**
     * What a public (unauthenticated) report or appeal carries besides its fields: the solved
     * puzzle ({@code token} from {@link #reportPuzzle} or {@link #appealPuzzle}, {@code counter}
     * its answer) and who sent it.
     */
    public record Proof(String token, String counter, InetAddress client, String userAgent) {}

    /** Names the abuse form in its puzzle tokens; the colon keeps it apart from every zone id. */
    static final String FORM_ID = "form:abuse";
    static final String FORM_ACTION = "/abuse";
    /** Names the public appeal in its puzzle tokens, so a report's puzzle does not file an appeal nor the reverse. */
    static final String APPEAL_FORM_ID = "form:appeal";
    static final String APPEAL_ACTION = "/api/v1/enforcement-actions/appeals";
    /** The public appeal form of one action is this path plus the action id; it files through the same {@link #appeal} as the JSON route. */
    static final String APPEAL_PAGE = "/appeal/";
    /** Audit actor of what the control plane does by itself (expiring proposals). */
    static final String SYSTEM = "system";

    private static final int HISTORY_LIMIT = 20_000;

    private final Jdbi jdbi;
    private final Clock clock;
    private final ConfigStore config;
    private final AuditLog audit;
    private final ReportStore reports;
    private final AlertStore alerts;
    private final ContactStore contacts;
    private final Outbox outbox;
    private final EnforcementStore actions;
    private final StatementStore statements;
    private final OutboxDispatcher dispatcher;
    private volatile Settings settings;
    private volatile EscalationDetector detector;
    private volatile FormChallenge puzzles;
    private volatile FormChallenge appealPuzzles;
    private ScheduledExecutorService timer;

    public TrustSafety(Jdbi jdbi, Clock clock, ConfigStore config, AuditLog audit, Settings settings) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.config = config;
        this.audit = audit;
        this.reports = new ReportStore(jdbi);
        this.alerts = new AlertStore(jdbi);
        this.contacts = new ContactStore(jdbi);
        this.outbox = new Outbox(jdbi);
        this.actions = new EnforcementStore(jdbi);
        this.statements = new StatementStore(jdbi);
        this.dispatcher = new OutboxDispatcher(outbox, new LogNotifier(), clock, 8, Duration.ofSeconds(30), Duration.ofHours(1));
        puzzleKeys(new InMemoryKeyRing(clock));
        config.guard(this::guardEnforcement);
        settings(settings);
    }

    /** Replaces the settings (wiring time); starts or stops the delivery timer accordingly. */
    public synchronized void settings(Settings s) {
        if (s.publicUrl() != null) {
            URI u = URI.create(s.publicUrl());
            if (u.getHost() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                throw new IllegalArgumentException("public url must be an absolute http(s) URL (got '" + s.publicUrl() + "')");
            }
        }
        if (s.formDifficulty() < ProofOfWork.MIN_DIFFICULTY || s.formDifficulty() > ProofOfWork.MAX_DIFFICULTY) {
            throw new IllegalArgumentException("form difficulty must be " + ProofOfWork.MIN_DIFFICULTY + ".." + ProofOfWork.MAX_DIFFICULTY
                    + " bits (got " + s.formDifficulty() + ")");
        }
        if (!s.puzzleTtl().isPositive()) throw new IllegalArgumentException("puzzle ttl must be positive (got " + s.puzzleTtl() + ")");
        if (!s.proposalTtl().isPositive()) throw new IllegalArgumentException("proposal ttl must be positive (got " + s.proposalTtl() + ")");
        this.settings = s;
        this.detector = new EscalationDetector(s.escalation());
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        if (!s.deliveryInterval().isZero()) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bulwark-notifications");
                t.setDaemon(true);
                return t;
            });
            long ms = s.deliveryInterval().toMillis();
            timer.scheduleWithFixedDelay(this::housekeepQuietly, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    public Settings settings() { return settings; }

    /**
     * Signs report and appeal puzzles with {@code keys} instead of this process's own random key,
     * so several control-plane processes behind one address accept each other's puzzles (cluster
     * mode wires the fleet's ring).
     */
    public void puzzleKeys(KeyRing keys) {
        this.puzzles = new FormChallenge(keys, FORM_ID, FORM_ACTION);
        this.appealPuzzles = new FormChallenge(keys, APPEAL_FORM_ID, APPEAL_ACTION);
    }

    /** Sets how notifications are delivered (default: {@link LogNotifier}). */
    public void notifier(Notifier n) { dispatcher.notifier(n); }

    public ReportStore reports() { return reports; }

    public AlertStore alerts() { return alerts; }

    public ContactStore contacts() { return contacts; }

    public Outbox outbox() { return outbox; }

    public EnforcementStore actions() { return actions; }

    public StatementStore statements() { return statements; }

    /** The public abuse form's URL, or null when no public URL is configured. */
    public String abuseFormUrl() { return publicPage(FORM_ACTION); }

    /**
     * The public appeal form of action {@code actionId} (what the owner is told to use, in the
     * notification and on the notice page), or null when no public URL is configured.
     */
    public String appealFormUrl(String actionId) {
        return publicPage(APPEAL_PAGE + Html.pathSegment(actionId));
    }

    private String publicPage(String path) {
        String base = settings.publicUrl();
        return base == null ? null : base.replaceAll("/+$", "") + path;
    }

    // ---- reports

    /** A proof-of-work puzzle for one public report from this client, at the configured difficulty. */
    public FormChallenge.Puzzle reportPuzzle(InetAddress client, String userAgent) { return issue(puzzles, client, userAgent); }

    /** A proof-of-work puzzle for one public appeal from this client: the report's kind and difficulty, bound to appeals. */
    public FormChallenge.Puzzle appealPuzzle(InetAddress client, String userAgent) { return issue(appealPuzzles, client, userAgent); }

    private FormChallenge.Puzzle issue(FormChallenge form, InetAddress client, String userAgent) {
        Settings s = settings;
        return form.issue(client, userAgent, s.formDifficulty(), s.puzzleTtl(), clock.currentTimeMillis());
    }

    /** Checks a public submission's puzzle; a refusal joins {@code errors} as field {@code pow}. */
    private FormChallenge.Verdict check(FormChallenge form, Proof proof, long now, List<FieldError> errors) {
        FormChallenge.Verdict pow = form.verify(proof.token(), proof.counter(), proof.client(), proof.userAgent(),
                settings.formDifficulty(), now);
        if (!pow.valid()) errors.add(new FieldError("pow", FormChallenge.explain(pow.check())));
        return pow;
    }

    /** Spends a verified puzzle in the transaction storing what it let through: one solution, one submission. */
    private static void spend(Handle tx, FormChallenge.Verdict pow, long now) {
        if (!PowRedemptions.redeem(tx, pow.nonceHex(), pow.expiresAt(), now)) {
            throw StoreException.invalid("pow", "this anti-spam answer was already used; solve a new puzzle and send again");
        }
    }

    /**
     * Validates and stores a report from the public, which must carry a solved puzzle: every bad
     * field and a refused puzzle (field {@code pow}) come back together, and nothing is stored.
     * The puzzle is spent in the transaction that stores the report, so a solution lets one
     * report in. Returns only after that transaction committed.
     */
    public AbuseReport submit(ReportSubmission s, Proof proof) {
        long now = clock.currentTimeMillis();
        List<FieldError> errors = new ArrayList<>();
        ReportValidator.Valid v = null;
        try {
            v = validator().validate(s);
        } catch (StoreException e) {
            if (e.kind() != StoreException.Kind.INVALID) throw e;
            errors.addAll(e.errors());
        }
        FormChallenge.Verdict pow = check(puzzles, proof, now, errors);
        if (!errors.isEmpty()) throw StoreException.invalid(errors);
        return store(v, "public", now, tx -> spend(tx, pow, now));
    }

    /**
     * Stores a report from a trusted caller (an operator's or partner's token, or the control
     * plane itself): validated like a public one, no puzzle. {@code actor} goes into the audit entry.
     */
    public AbuseReport submit(String actor, ReportSubmission s) {
        return store(validator().validate(s), actor, clock.currentTimeMillis(), tx -> {});
    }

    /** {@link #submit(String, ReportSubmission)} recorded as "public"; for tools and tests that file reports directly. */
    public AbuseReport submit(ReportSubmission s) { return submit("public", s); }

    private ReportValidator validator() { return new ReportValidator(config::zoneOfHostname); }

    /** The report, its audit entry, notifications and escalation alerts (and {@code also}) in one transaction. */
    private AbuseReport store(ReportValidator.Valid v, String actor, long now, java.util.function.Consumer<Handle> also) {
        AbuseReport r = new AbuseReport(Ids.next("rep"), v.category(), v.zoneId(), v.urls(), v.description(), v.evidence(),
                v.reporterName(), v.reporterContact(), v.forwardToOwner(), ReportStatus.RECEIVED, now, now);
        inTransaction(tx -> {
            also.accept(tx);
            ReportStore.insert(tx, r, actor);
            ReportRouter.route(tx, r, now);
            escalate(tx, r.zoneId(), now);
            return null;
        });
        return r;
    }

    public AbuseReport setStatus(Principal p, String id, ReportStatus status) {
        return inTransaction(tx -> {
            AbuseReport r = ReportStore.find(tx, id).orElseThrow(() -> StoreException.notFound("no abuse report '" + id + "'"));
            TwoPersonRule.checkMayAct(p, r.zoneId());
            if (r.status() == status) return r;
            long now = clock.currentTimeMillis();
            ReportStore.updateStatus(tx, r, status, now, p.actor());
            return r.withStatus(status, now);
        });
    }

    /** Open reports grouped and ordered for handling. */
    public List<TriageQueue.Group> queue(Principal p) {
        TwoPersonRule.checkMayAct(p, null);
        List<AbuseReport> open = reports.open(HISTORY_LIMIT).stream().filter(r -> p.canSeeZone(r.zoneId())).toList();
        return TriageQueue.order(open);
    }

    /** Escalation alerts, newest first, of {@code zone} (null: every zone the token reaches). */
    public List<EscalationAlert> alerts(Principal p, String zone, int limit) {
        TwoPersonRule.checkMayAct(p, zone);
        return alerts.list(zone, limit).stream().filter(a -> p.canSeeZone(a.zoneId())).toList();
    }

    /** Enforcement actions, newest first, of {@code zone} (null: every zone the token reaches). */
    public List<EnforcementAction> actions(Principal p, String zone, int limit) {
        TwoPersonRule.checkMayAct(p, zone);
        long now = clock.currentTimeMillis();
        return actions.list(zone, limit).stream().filter(a -> p.canSeeZone(a.zoneId())).map(a -> a.asOf(now)).toList();
    }

    /** Enforcement action {@code id} as it stands now: a proposal past its window shows as expired before the timer records it. */
    public Optional<EnforcementAction> action(String id) {
        long now = clock.currentTimeMillis();
        return actions.find(id).map(a -> a.asOf(now));
    }

    /** Evaluates the zone's escalation at {@code now} and stores the alerts that are due; returns them. */
    public List<EscalationAlert> checkEscalation(String zone) {
        long now = clock.currentTimeMillis();
        return inTransaction(tx -> escalate(tx, zone, now));
    }

    private List<EscalationAlert> escalate(Handle tx, String zone, long now) {
        List<AbuseReport> history = ReportStore.zoneHistory(tx, zone, detector.historySince(now), HISTORY_LIMIT);
        List<EscalationAlert> raised = new ArrayList<>();
        for (EscalationDetector.Finding f : detector.evaluate(history, now)) {
            if (!f.alert()) continue;
            String window = EscalationDetector.name(f.window());
            Optional<EscalationAlert> last = AlertStore.latest(tx, zone, window);
            // one alert per zone and window while it is open, unless the score has since doubled
            if (last.isPresent() && last.get().raisedAt() > now - f.window().toMillis() && f.score() < 2 * last.get().score()) continue;
            EscalationAlert a = new EscalationAlert(Ids.next("alr"), zone, window, f.reports(), f.score(), f.baseline(), f.trend(),
                    EscalationDetector.summary(zone, f), now);
            AlertStore.insert(tx, a);
            raised.add(a);
        }
        return raised;
    }

    // ---- routing

    public ZoneContact putContact(Principal p, ZoneContact c) {
        TwoPersonRule.checkMayAct(p, c.zoneId());
        if (config.zone(c.zoneId()).isEmpty()) throw StoreException.notFound("no zone '" + c.zoneId() + "'");
        List<FieldError> errors = new ArrayList<>();
        if (c.ownerWebhook() != null && !c.ownerWebhook().matches("https?://\\S+")) errors.add(new FieldError("owner_webhook", "must be an http(s) URL"));
        for (String[] f : new String[][] {{"owner_contact", c.ownerContact()}, {"hosting_contact", c.hostingContact()}}) {
            if (f[1] != null && f[1].length() > 320) errors.add(new FieldError(f[0], "at most 320 characters"));
        }
        if (!errors.isEmpty()) throw StoreException.invalid(errors);
        ZoneContact stored = new ZoneContact(c.zoneId(), c.ownerContact(), c.ownerWebhook(), c.hostingProvider(), c.hostingContact(),
                clock.currentTimeMillis());
        inTransaction(tx -> {
            ContactStore.put(tx, stored, p.actor());
            return null;
        });
        return stored;
    }

    public Referral refer(Principal p, String reportId, String agency, String reference) {
        if (agency == null || agency.isBlank()) throw StoreException.invalid("agency", "name the agency the report was referred to");
        return inTransaction(tx -> {
            AbuseReport r = ReportStore.find(tx, reportId).orElseThrow(() -> StoreException.notFound("no abuse report '" + reportId + "'"));
            TwoPersonRule.checkMayAct(p, r.zoneId());
            Referral ref = new Referral(Ids.next("ref"), reportId, agency.trim(), reference, p.actor(), clock.currentTimeMillis());
            ContactStore.refer(tx, ref);
            return ref;
        });
    }

    /** One pass over the outbox; returns how many notifications were delivered. */
    public int deliverNotifications() { return dispatcher.deliverDue(); }

    /** The timer's pass: deliver due notifications, expire overdue proposals; one failing does not stop the other. */
    private void housekeepQuietly() {
        try {
            dispatcher.deliverDue();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(TrustSafety.class).warn("notification delivery pass failed", e);
        }
        try {
            expireProposals();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(TrustSafety.class).warn("expiring overdue proposals failed", e);
        }
    }

    // ---- enforcement

    /**
     * Takes an action on a zone. Terminate is stored as proposed and waits for a second
     * operator's {@link #approve}; every other action applies now.
     */
    public EnforcementAction act(Principal p, ActionRequest req) {
        ActionType type = ActionType.parse(req.type());
        List<FieldError> errors = new ArrayList<>();
        if (type == null) errors.add(new FieldError("type", "type must be one of warn, restrict, block_urls, terminate, restore"));
        if (req.zoneId() == null || req.zoneId().isBlank()) errors.add(new FieldError("zone", "zone is required"));
        if (!errors.isEmpty()) throw StoreException.invalid(errors);
        TwoPersonRule.checkMayAct(p, req.zoneId());
        if (type == ActionType.RESTORE) return restore(p, req.zoneId(), null, req.reason());
        if (config.zone(req.zoneId()).isEmpty()) throw StoreException.notFound("no zone '" + req.zoneId() + "'");
        String reason = req.reason() == null ? null : req.reason().trim();
        if (reason == null || reason.isEmpty()) errors.add(new FieldError("reason", "give the reason in plain words; visitors may see it"));
        else if (reason.length() > 2000) errors.add(new FieldError("reason", "at most 2000 characters"));
        if (req.statementUrl() != null && !req.statementUrl().matches("https?://[^\\s/]+\\S*")) {
            errors.add(new FieldError("statement_url", "must be an absolute http(s) URL"));
        }
        if (type == ActionType.TERMINATE && req.statementUrl() == null) {
            errors.add(new FieldError("statement_url", "a termination needs the URL of the public statement explaining it"));
        }
        if (type == ActionType.TERMINATE && req.reportIds().isEmpty()) {
            errors.add(new FieldError("report_ids", "a termination must name the reports it rests on"));
        }
        List<String> urls = new ArrayList<>();
        if (type == ActionType.BLOCK_URLS) {
            if (req.urls().isEmpty()) errors.add(new FieldError("urls", "name the URLs to block"));
            for (int i = 0; i < req.urls().size(); i++) {
                String u = req.urls().get(i);
                String host = ReportValidator.hostOf(u.endsWith("*") ? u.substring(0, u.length() - 1) : u);
                Optional<String> zone = host == null ? Optional.empty() : config.zoneOfHostname(host);
                if (zone.isEmpty() || !zone.get().equals(req.zoneId())) {
                    errors.add(new FieldError("urls[" + i + "]", "not a URL of zone '" + req.zoneId() + "': '" + u + "'"));
                } else {
                    urls.add(u);
                }
            }
        }
        List<AbuseReport> cited = reports.byIds(req.reportIds());
        for (int i = 0; i < req.reportIds().size(); i++) {
            String id = req.reportIds().get(i);
            Optional<AbuseReport> r = cited.stream().filter(x -> x.id().equals(id)).findFirst();
            if (r.isEmpty()) errors.add(new FieldError("report_ids[" + i + "]", "no abuse report '" + id + "'"));
            else if (!r.get().zoneId().equals(req.zoneId())) errors.add(new FieldError("report_ids[" + i + "]", "report '" + id + "' is about another zone"));
        }
        if (!errors.isEmpty()) throw StoreException.invalid(errors);
        long now = clock.currentTimeMillis();
        EnforcementAction proposed = new EnforcementAction(Ids.next("act"), req.zoneId(), type, urls, reason,
                req.legal() != null && req.legal(), req.statementUrl(), req.reportIds(), EnforcementAction.Status.PROPOSED,
                p.operatorId(), p.actor(), now, null, null, null, null, null, null,
                type.needsSecondOperator() ? now + settings.proposalTtl().toMillis() : null);
        if (type.needsSecondOperator()) {
            return inTransaction(tx -> {
                EnforcementStore.insert(tx, proposed, "enforcement.propose", p.actor(), now);
                return proposed;
            });
        }
        return apply(proposed, p, true);
    }

    /**
     * A second operator approves a proposed action, which then applies. A proposal past its
     * approval window is recorded as expired first, and the approval refused (409).
     */
    public EnforcementAction approve(Principal p, String actionId) {
        EnforcementAction a = actions.find(actionId).orElseThrow(() -> StoreException.notFound("no enforcement action '" + actionId + "'"));
        TwoPersonRule.checkMayAct(p, a.zoneId());
        if (a.overdue(clock.currentTimeMillis())) {
            expireProposals(); // on the record before the refusal, even between timer passes
            a = actions.find(actionId).orElseThrow();
        }
        TwoPersonRule.checkMayApprove(p, a);
        return apply(a, p, false);
    }

    /**
     * Marks every proposal whose approval window has closed as expired, each with its audit
     * entry ({@code enforcement.expire} by {@value #SYSTEM}); returns them. Run by the timer, and
     * before approving an overdue proposal; reads show an overdue one as expired without writing.
     */
    public List<EnforcementAction> expireProposals() {
        long now = clock.currentTimeMillis();
        List<EnforcementAction> due = actions.overdueProposals(now);
        if (due.isEmpty()) return List.of();
        return inTransaction(tx -> {
            List<EnforcementAction> expired = new ArrayList<>();
            for (EnforcementAction seen : due) {
                // re-read under the write lock: an approval or rejection that committed meanwhile wins
                EnforcementAction a = EnforcementStore.find(tx, seen.id()).orElseThrow();
                if (!a.overdue(now)) continue;
                EnforcementAction e = a.expired();
                EnforcementStore.update(tx, a, e, "enforcement.expire", SYSTEM, now);
                expired.add(e);
            }
            return expired;
        });
    }

    /** Declines a proposed action; the proposer may withdraw their own. */
    public EnforcementAction reject(Principal p, String actionId) {
        return inTransaction(tx -> {
            EnforcementAction a = EnforcementStore.find(tx, actionId).orElseThrow(() -> StoreException.notFound("no enforcement action '" + actionId + "'"));
            TwoPersonRule.checkMayAct(p, a.zoneId());
            if (a.status() != EnforcementAction.Status.PROPOSED) throw new ApiException(409, "Conflict", "action " + a.id() + " is " + a.status().wire());
            long now = clock.currentTimeMillis();
            EnforcementAction r = a.rejected(p.operatorId(), p.actor(), now);
            EnforcementStore.update(tx, a, r, "enforcement.reject", p.actor(), now);
            return r;
        });
    }

    private EnforcementAction apply(EnforcementAction proposed, Principal by, boolean isNew) {
        AtomicReference<EnforcementAction> out = new AtomicReference<>();
        String message = proposed.type().wire() + " zone " + proposed.zoneId() + ": " + proposed.reason();
        config.editZone(by.actor(), proposed.zoneId(), "enforcement." + proposed.type().wire(), message, (tx, zone) -> {
            long now = clock.currentTimeMillis();
            if (!isNew) {
                // re-read inside the transaction: a concurrent approve or reject wins once
                EnforcementAction current = EnforcementStore.find(tx, proposed.id()).orElseThrow();
                if (current.status() != EnforcementAction.Status.PROPOSED) {
                    throw new ApiException(409, "Conflict", "action " + current.id() + " is " + current.status().wire());
                }
                if (current.overdue(now)) {
                    throw new ApiException(409, "Conflict", "action " + current.id() + " expired at " + java.time.Instant.ofEpochMilli(current.expiresAt())
                            + " without a second operator's approval; propose it again");
                }
            }
            Boolean prior = proposed.type() == ActionType.RESTRICT ? underAttack(zone) : null;
            EnforcementAction applied = proposed.applied(by.operatorId(), by.actor(), now, prior, decidedFor(proposed, zone));
            if (isNew) EnforcementStore.insert(tx, applied, "enforcement.apply", by.actor(), now);
            else EnforcementStore.update(tx, proposed, applied, "enforcement.approve", by.actor(), now);
            List<EnforcementAction> all = EnforcementStore.ofZone(tx, proposed.zoneId());
            writeEnforcement(zone, all);
            if (proposed.type() == ActionType.RESTRICT) ((ObjectNode) zone.with("challenge")).put("under_attack", true);
            for (AbuseReport r : ReportStore.byIds(tx, proposed.reportIds())) {
                if (r.status().open()) ReportStore.updateStatus(tx, r, ReportStatus.ACTIONED, now, by.actor());
            }
            String appealAt = appealFormUrl(applied.id());
            tellOwner(tx, applied, now, "Action on your site " + applied.zoneId() + ": " + applied.type().wire(),
                    "Trust and safety took the action '" + applied.type().wire() + "' on " + applied.zoneId() + ".\nReason: " + applied.reason()
                            + (applied.statementUrl() == null ? "" : "\nStatement: " + applied.statementUrl())
                            + "\nYou can appeal this decision, quoting " + applied.id()
                            + (appealAt == null ? "." : ", at " + appealAt));
            out.set(applied);
            return "enforcement";
        });
        return out.get();
    }

    /**
     * Lifts applied actions on a zone: {@code actionId} alone, or all of them when null. Records a
     * restore action, recomputes the zone's enforcement and puts back the owner's own under-attack
     * setting once no restriction remains. Works on a zone deleted since (a restricted or
     * URL-blocked one may be): the actions are reversed and their hostnames freed.
     */
    public EnforcementAction restore(Principal p, String zoneId, String actionId, String reason) {
        TwoPersonRule.checkMayAct(p, zoneId);
        String why = reason == null || reason.isBlank() ? "service restored" : reason.trim();
        AtomicReference<EnforcementAction> out = new AtomicReference<>();
        String message = "restore zone " + zoneId + ": " + why;
        if (config.zone(zoneId).isPresent()) {
            config.editZone(p.actor(), zoneId, "enforcement.restore", message, (tx, zone) -> {
                out.set(lift(tx, p, zoneId, zone, actionId, why));
                return "enforcement";
            });
        } else {
            // no zone to edit: the reversal rows alone, in a change that leaves the document as it is
            config.change(p.actor(), message, "enforcement.restore", (ConfigStore.TxEdit) (tx, doc) -> {
                if (EnforcementStore.ofZone(tx, zoneId).isEmpty()) throw StoreException.notFound("no zone '" + zoneId + "'");
                out.set(lift(tx, p, zoneId, null, actionId, why));
                return "";
            });
        }
        return out.get();
    }

    /** The rows of a restore; {@code zone} (null when deleted) gets its recomputed enforcement. */
    private EnforcementAction lift(Handle tx, Principal p, String zoneId, ObjectNode zone, String actionId, String why) {
        long now = clock.currentTimeMillis();
        List<EnforcementAction> lifted = new ArrayList<>();
        for (EnforcementAction a : EnforcementStore.ofZone(tx, zoneId)) {
            if (a.status() != EnforcementAction.Status.APPLIED || a.type() == ActionType.RESTORE) continue;
            if (actionId != null && !a.id().equals(actionId)) continue;
            EnforcementAction r = a.reversed(p.actor(), now);
            EnforcementStore.update(tx, a, r, "enforcement.reverse", p.actor(), now);
            lifted.add(a);
        }
        if (actionId != null && lifted.isEmpty()) {
            throw new ApiException(409, "Conflict", "action " + actionId + " is not an applied action of zone '" + zoneId + "'");
        }
        List<EnforcementAction> all = EnforcementStore.ofZone(tx, zoneId);
        EnforcementAction restore = new EnforcementAction(Ids.next("act"), zoneId, ActionType.RESTORE,
                List.of(), why, false, null, List.of(), EnforcementAction.Status.APPLIED,
                p.operatorId(), p.actor(), now, p.operatorId(), p.actor(), now, null, null, null, null);
        EnforcementStore.insert(tx, restore, "enforcement.restore", p.actor(), now);
        if (zone != null) {
            boolean stillRestricted = all.stream().anyMatch(a -> a.status() == EnforcementAction.Status.APPLIED && a.type() == ActionType.RESTRICT);
            Optional<EnforcementAction> firstRestrict = lifted.stream().filter(a -> a.type() == ActionType.RESTRICT)
                    .min(Comparator.comparingLong(EnforcementAction::proposedAt));
            if (!stillRestricted && firstRestrict.isPresent()) {
                Boolean prior = firstRestrict.get().priorUnderAttack();
                ((ObjectNode) zone.with("challenge")).put("under_attack", prior != null && prior);
            }
            writeEnforcement(zone, all);
        }
        tellOwner(tx, restore, now, "Service restored for " + zoneId, "Trust and safety lifted "
                + (lifted.isEmpty() ? "no action (none was in force)" : lifted.size() + " action(s)") + " on " + zoneId + ".\nReason: " + why);
        return restore;
    }

    // ---- appeals

    /**
     * Files an appeal from the public (the site owner rarely holds a token): it must carry a
     * solved appeal puzzle ({@link #appealPuzzle}), checked with the fields and spent in the
     * appeal's transaction, as for a public report.
     */
    public Appeal appeal(String actionId, String appellant, String statement, Proof proof) {
        long now = clock.currentTimeMillis();
        List<FieldError> errors = appealErrors(appellant, statement);
        FormChallenge.Verdict pow = check(appealPuzzles, proof, now, errors);
        if (!errors.isEmpty()) throw StoreException.invalid(errors);
        return fileAppeal("appellant " + appellant.trim(), actionId, appellant, statement, now, tx -> spend(tx, pow, now));
    }

    /** Files an appeal from a trusted caller (a token holder filing for the owner); no puzzle. {@code actor} goes into the audit entry. */
    public Appeal appeal(String actor, String actionId, String appellant, String statement) {
        List<FieldError> errors = appealErrors(appellant, statement);
        if (!errors.isEmpty()) throw StoreException.invalid(errors);
        return fileAppeal(actor, actionId, appellant, statement, clock.currentTimeMillis(), tx -> {});
    }

    /** {@link #appeal(String, String, String, String)} recorded as the appellant's; for tools and tests. */
    public Appeal appeal(String actionId, String appellant, String statement) {
        return appeal(appellant == null ? "appellant" : "appellant " + appellant.trim(), actionId, appellant, statement);
    }

    private static List<FieldError> appealErrors(String appellant, String statement) {
        List<FieldError> errors = new ArrayList<>();
        if (appellant == null || appellant.isBlank() || appellant.length() > 320) errors.add(new FieldError("appellant", "give a contact address (at most 320 characters)"));
        if (statement == null || statement.isBlank() || statement.length() > 10_000) errors.add(new FieldError("statement", "explain the appeal (1 to 10000 characters)"));
        return errors;
    }

    /** The appeal, its audit entry and the team's notification (with its own audit entry) in one transaction. */
    private Appeal fileAppeal(String actor, String actionId, String appellant, String statement, long now, java.util.function.Consumer<Handle> also) {
        return inTransaction(tx -> {
            EnforcementAction a = EnforcementStore.find(tx, actionId).orElseThrow(() -> StoreException.notFound("no enforcement action '" + actionId + "'"));
            if (!a.appealable()) {
                throw new ApiException(409, "Conflict", "only an applied action can be appealed; " + a.id() + " is " + a.status().wire());
            }
            also.accept(tx);
            Appeal ap = new Appeal(Ids.next("apl"), actionId, appellant.trim(), statement.trim(), Appeal.Status.OPEN, now, null, null, null);
            EnforcementStore.insertAppeal(tx, ap, actor);
            notifyOfAppeal(tx, ap, actor, settings.teamContact(), "appeal", "Appeal " + ap.id() + " against " + a.type().wire() + " of " + a.zoneId(),
                    "An appeal was filed against action " + a.id() + " (" + a.type().wire() + " of zone " + a.zoneId() + ", applied "
                            + java.time.Instant.ofEpochMilli(a.appliedAt()) + ").\nAppellant: " + ap.appellant() + "\n\n" + ap.statement()
                            + "\n\nIt is decided by an operator who neither proposed nor approved the action: POST /api/v1/appeals/" + ap.id() + "/decision");
            return ap;
        });
    }

    /**
     * Queues an appeal's notification and records it in the audit log ({@code appeal.notify} on
     * the action: who is told what, so the record shows the appellant was answered).
     */
    private static void notifyOfAppeal(Handle tx, Appeal ap, String actor, String to, String kind, String subject, String body) {
        Notification n = Outbox.enqueue(tx, kind, to, subject, body, null, ap.decidedAt() != null ? ap.decidedAt() : ap.filedAt());
        Map<String, Object> note = new LinkedHashMap<>();
        note.put("notification", n.id());
        note.put("appeal", ap.id());
        note.put("kind", kind);
        note.put("recipient", to);
        note.put("subject", subject);
        dev.bulwark.control.audit.AuditLog.append(tx, n.createdAt(), actor, "appeal.notify", EnforcementStore.target(ap.actionId()), null, Canonical.of(note));
    }

    /**
     * Decides an appeal. The decider must not be an operator who proposed or approved the action
     * (a decision is reviewed by someone else); reversing restores the action.
     */
    public Appeal decideAppeal(Principal p, String appealId, boolean reverse, String decision) {
        if (decision == null || decision.isBlank()) throw StoreException.invalid("decision", "explain the decision");
        Appeal ap = jdbi.withHandle(h -> EnforcementStore.findAppeal(h, appealId))
                .orElseThrow(() -> StoreException.notFound("no appeal '" + appealId + "'"));
        if (ap.status() != Appeal.Status.OPEN) throw new ApiException(409, "Conflict", "appeal " + appealId + " is already " + ap.status().wire());
        EnforcementAction a = actions.find(ap.actionId()).orElseThrow();
        TwoPersonRule.checkMayAct(p, a.zoneId());
        if (p.operatorId().equals(a.proposedById()) || p.operatorId().equals(a.approvedById())) {
            throw new ApiException(403, "Forbidden", "an appeal is decided by an operator who neither proposed nor approved the action");
        }
        if (reverse && a.status() == EnforcementAction.Status.APPLIED) restore(p, a.zoneId(), a.id(), "appeal " + appealId + " upheld: " + decision.trim());
        Appeal decided = new Appeal(ap.id(), ap.actionId(), ap.appellant(), ap.statement(), reverse ? Appeal.Status.REVERSED : Appeal.Status.UPHELD,
                ap.filedAt(), p.actor(), clock.currentTimeMillis(), decision.trim());
        inTransaction(tx -> {
            EnforcementStore.decideAppeal(tx, ap, decided);
            // the appellant hears the outcome when they left something we can write to
            if (isContact(ap.appellant())) {
                notifyOfAppeal(tx, decided, p.actor(), ap.appellant(), "appeal_decision",
                        "Your appeal " + ap.id() + ": " + (reverse ? "the action is reversed" : "the action stands"),
                        "Trust and safety decided your appeal " + ap.id() + " against action " + a.id() + " (" + a.type().wire() + " of "
                                + a.zoneId() + "): " + (reverse ? "it is reversed and the service restored." : "the action stands.")
                                + "\n\n" + decided.decision());
            }
            return null;
        });
        return decided;
    }

    // ---- transparency

    public TransparencyReport transparency(ReportPeriod period) {
        return TransparencyReport.compute(period, reports, actions, statements, audit);
    }

    /** Creates or replaces a standing statement; only the owner speaks for the operator. */
    public StandingStatement putStatement(Principal p, String id, String title, String body) {
        if (p.role() != Role.OWNER) throw new ApiException(403, "Forbidden", "only the owner edits the standing statements");
        List<FieldError> errors = new ArrayList<>();
        if (id == null || !id.matches("[a-z0-9][a-z0-9-]{0,62}")) errors.add(new FieldError("id", "1-63 characters of a-z, 0-9 and '-'"));
        if (title == null || title.isBlank() || title.length() > 200) errors.add(new FieldError("title", "1 to 200 characters"));
        if (body == null || body.isBlank() || body.length() > 20_000) errors.add(new FieldError("body", "1 to 20000 characters"));
        if (!errors.isEmpty()) throw StoreException.invalid(errors);
        StandingStatement s = new StandingStatement(id, title.trim(), body.trim(), p.actor(), clock.currentTimeMillis());
        inTransaction(tx -> {
            StatementStore.put(tx, s);
            return null;
        });
        return s;
    }

    // ---- plumbing

    /**
     * The store's {@link ConfigStore.Guard}: a config change that is not an enforcement decision
     * (a zone replaced without its enforcement section, a rollback to before a termination, an
     * import, a zone deleted and created again) leaves every acted-on zone's enforcement as its
     * actions say. Lifting an action takes a restore or an appeal, on the record. Every stored
     * version passed this guard, so only the zones the change touched can need it again, and
     * only a change that moves hostnames can serve an enforced one elsewhere.
     */
    private void guardEnforcement(Handle tx, String action, ObjectNode old, ObjectNode doc) {
        if (action.startsWith("enforcement.")) return; // this service's own writes, derived from its actions
        Map<String, com.fasterxml.jackson.databind.JsonNode> was = new java.util.HashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode z : old.path("zones")) was.put(z.path("id").asText(), z);
        for (com.fasterxml.jackson.databind.JsonNode z : doc.path("zones")) {
            String id = z.path("id").asText();
            if (!(z instanceof ObjectNode zone) || (zone.equals(was.get(id)) && !staleLinks(zone))) continue;
            List<EnforcementAction> acted = EnforcementStore.ofZone(tx, id);
            if (!acted.isEmpty()) writeEnforcement(zone, acted);
        }
        // before as the store indexes the latest version: by zone id, each zone's names sorted
        Map<String, List<String>> before = new java.util.TreeMap<>();
        for (com.fasterxml.jackson.databind.JsonNode z : old.path("zones")) before.put(z.path("id").asText(), hostnames(z).stream().sorted().toList());
        Map<String, List<String>> after = new LinkedHashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode z : doc.path("zones")) after.put(z.path("id").asText(), hostnames(z));
        if (sameNames(before, after)) return; // no hostname moved: nothing is served elsewhere, no notice taken down
        List<EnforcementAction> inForce = EnforcementStore.applied(tx);
        if (inForce.stream().noneMatch(a -> EnforcedHostnames.binds(a.type()))) return;
        EnforcedHostnames.check(inForce, before, after);
    }

    /**
     * Stamps the current links into every acted-on zone whose notice carries stale ones
     * ({@link #staleLinks}), in one config version ({@code enforcement.links} by {@value #SYSTEM};
     * none when nothing is stale); returns how many zones were refreshed. Run when the control
     * plane starts serving, once its public URL is known, so a notice written before it carried
     * an appeal link, or before the node moved, need not wait for the next config change. Reads
     * the stored document, not the snapshot, so no TLS key is decrypted for it.
     */
    public int refreshNoticeLinks() {
        int[] refreshed = new int[1];
        ConfigStore.Commit c = config.change(SYSTEM, "refresh stale notice links", "enforcement.links", (ConfigStore.TxEdit) (tx, doc) -> {
            refreshed[0] = 0; // the store may run the edit again on a newer version
            for (com.fasterxml.jackson.databind.JsonNode z : doc.path("zones")) {
                if (!(z instanceof ObjectNode zone) || !staleLinks(zone)) continue;
                List<EnforcementAction> acted = EnforcementStore.ofZone(tx, zone.path("id").asText());
                if (acted.isEmpty()) continue;
                writeEnforcement(zone, acted);
                refreshed[0]++;
            }
            return "";
        });
        return c.changed() ? refreshed[0] : 0;
    }

    /**
     * An acted-on zone whose notice still links an abuse form at an older public URL (the node
     * moved), or lacks the appeal link of a decision although the public URL is known (written
     * before notices carried one).
     */
    private boolean staleLinks(ObjectNode zone) {
        com.fasterxml.jackson.databind.JsonNode e = zone.get("enforcement");
        if (e == null || e.isNull()) return false;
        if (!java.util.Objects.equals(abuseFormUrl(), text(e.get("report_url")))) return true;
        if (settings.publicUrl() == null) return false;
        if (!"active".equalsIgnoreCase(e.path("status").asText("active")) && text(e.get("appeal_url")) == null) return true;
        for (com.fasterxml.jackson.databind.JsonNode b : e.path("blocked_urls")) if (text(b.get("appeal_url")) == null) return true;
        return false;
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode n) { return n == null || n.isNull() ? null : n.asText(); }

    private static boolean sameNames(Map<String, List<String>> before, Map<String, List<String>> after) {
        if (!before.keySet().equals(after.keySet())) return false;
        for (Map.Entry<String, List<String>> e : after.entrySet()) {
            if (!new java.util.HashSet<>(e.getValue()).equals(new java.util.HashSet<>(before.get(e.getKey())))) return false;
        }
        return true;
    }

    /** The hostnames an action is decided for, as it applies: the zone's, or the blocked URLs' hosts; none for a warning. */
    private static List<String> decidedFor(EnforcementAction a, ObjectNode zone) {
        if (a.type() == ActionType.BLOCK_URLS) return EnforcedHostnames.urlHosts(a.urls());
        return EnforcedHostnames.binds(a.type()) ? hostnames(zone) : List.of();
    }

    /** A zone document's hostnames, lower-case (as the store indexes them). */
    private static List<String> hostnames(com.fasterxml.jackson.databind.JsonNode zone) {
        List<String> out = new ArrayList<>();
        zone.path("hostnames").forEach(h -> {
            String name = h.asText().toLowerCase(java.util.Locale.ROOT);
            if (!name.isEmpty() && !out.contains(name)) out.add(name);
        });
        return out;
    }

    private void writeEnforcement(ObjectNode zone, List<EnforcementAction> all) {
        EnforcementConfig e = EnforcementState.derive(all, abuseFormUrl(), this::appealFormUrl);
        zone.set("enforcement", ConfigLoader.mapper().valueToTree(e));
    }

    /** An e-mail address or an http(s) webhook: something a notifier can deliver to. */
    static boolean isContact(String s) {
        return s != null && (ReportValidator.EMAIL.matcher(s).matches() || s.matches("https?://\\S+"));
    }

    private static boolean underAttack(ObjectNode zone) {
        return zone.path("challenge").path("under_attack").asBoolean(false);
    }

    private void tellOwner(Handle tx, EnforcementAction a, long now, String subject, String body) {
        ContactStore.find(tx, a.zoneId()).ifPresent(c -> {
            String to = c.ownerWebhook() != null ? c.ownerWebhook() : c.ownerContact();
            if (to != null) Outbox.enqueue(tx, "enforcement", to, subject, body, null, now);
        });
    }

    private <T> T inTransaction(java.util.function.Function<Handle, T> work) {
        return jdbi.inTransaction(tx -> {
            WriteLock.acquire(tx);
            return work.apply(tx);
        });
    }

    @Override
    public synchronized void close() {
        if (timer != null) timer.shutdownNow();
    }
}
