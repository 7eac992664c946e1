package dev.bulwark.core.ddos;

import java.util.ArrayList;
import java.util.List;

/**
 * Derives an attack {@link Signature} by comparing the sampled attack traffic with the zone's
 * {@link ZoneBaseline}, field by field.
 *
 * <p>For each value of a field, its excess rate is its rate in the attack samples minus its
 * expected rate from the baseline. The values with the largest excess are taken, at most a
 * few per field, until they explain {@value #EXPLAINED} of the total excess. The field is kept
 * only when (1) so few values explain the attack — a flood from thousands of networks cannot be
 * described by eight prefixes, so the source is dropped — and (2) those values carry at most
 * {@value #MAX_NORMAL_SHARE} of normal traffic — "method GET" explains a GET flood but would
 * block every visitor, so it is dropped. Kept fields are combined with AND.
 */
final class SignatureDeriver {
    static final double EXPLAINED = 0.8;
    static final double MAX_NORMAL_SHARE = 0.5;
    static final int MAX_SOURCES = 8, MAX_PATHS = 3, MAX_METHODS = 2, MAX_AGENTS = 3;

    private final ValueMix scratch = new ValueMix(256);

    Signature derive(TrafficSampler.Samples attack, double attackRate, ZoneBaseline baseline) {
        if (attack.size == 0) return Signature.EMPTY;
        double base = Math.min(baseline.rate(), attackRate);
        double totalExcess = attackRate - base;
        if (totalExcess <= 0) return Signature.EMPTY;

        Field src = pick(attack.source, null, attack, attackRate, base, totalExcess, baseline.sources, MAX_SOURCES, true);
        Field path = pick(attack.pathHash, attack.path, attack, attackRate, base, totalExcess, baseline.paths, MAX_PATHS, false);
        Field method = pick(attack.methodHash, attack.method, attack, attackRate, base, totalExcess, baseline.methods, MAX_METHODS, false);
        Field agent = pick(attack.agentHash, attack.agent, attack, attackRate, base, totalExcess, baseline.agents, MAX_AGENTS, false);
        return new Signature(src == null ? null : src.keys, src == null ? null : src.labels,
                path == null ? null : path.keys, path == null ? null : path.labels,
                method == null ? null : method.keys, method == null ? null : method.labels,
                agent == null ? null : agent.keys, agent == null ? null : agent.labels);
    }

    private record Field(long[] keys, List<String> labels) {}

    private Field pick(long[] column, String[] text, TrafficSampler.Samples s, double attackRate, double base,
                       double totalExcess, ValueMix normal, int max, boolean sourceField) {
        ValueMix mix = scratch;
        mix.clear();
        for (int i = 0; i < s.size; i++) mix.add(column[i], text == null ? null : text[i], 1);

        double[] excess = new double[mix.size];
        for (int i = 0; i < mix.size; i++) {
            excess[i] = attackRate * mix.weights[i] / mix.total - base * normal.share(mix.keys[i]);
        }
        List<Integer> chosen = new ArrayList<>();
        double explained = 0;
        while (explained < EXPLAINED * totalExcess && chosen.size() < max) {
            int best = -1;
            for (int i = 0; i < mix.size; i++) {
                if (excess[i] > 0 && !chosen.contains(i) && (best < 0 || excess[i] > excess[best])) best = i;
            }
            if (best < 0) break;
            chosen.add(best);
            explained += excess[best];
        }
        if (explained < EXPLAINED * totalExcess) return null;
        double normalShare = 0;
        for (int i : chosen) normalShare += normal.share(mix.keys[i]);
        if (normalShare > MAX_NORMAL_SHARE) return null;

        long[] keys = new long[chosen.size()];
        List<String> labels = new ArrayList<>();
        for (int k = 0; k < keys.length; k++) {
            int i = chosen.get(k);
            keys[k] = mix.keys[i];
            // an absent value (no User-Agent) is labelled "" as the rules language reads it
            labels.add(sourceField ? Signature.sourceLabel(mix.keys[i]) : mix.labels[i] == null ? "" : mix.labels[i]);
        }
        return new Field(keys, labels);
    }
}
