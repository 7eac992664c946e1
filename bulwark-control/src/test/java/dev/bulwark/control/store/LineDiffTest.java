package dev.bulwark.control.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LineDiffTest {
    @Test
    void unifiedDiffWithContextAndLineNumbers() {
        String a = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n";
        String b = "a\nb\nc\nD\ne\nf\ng\nh\ni\nj\nk\nl\nm\n";
        String d = LineDiff.unified("x@1", "x@2", a, b);
        assertThat(d).isEqualTo("""
                --- x@1
                +++ x@2
                @@ -1,7 +1,7 @@
                 a
                 b
                 c
                -d
                +D
                 e
                 f
                 g
                @@ -10,3 +10,4 @@
                 j
                 k
                 l
                +m
                """);
        // changes closer than twice the context share one hunk
        assertThat(LineDiff.unified("x", "y", "a\nb\nc\nd\ne\n", "A\nb\nc\nd\nE\n")).startsWith("--- x\n+++ y\n@@ -1,5 +1,5 @@\n");
    }

    @Test
    void identicalTextsHaveNoDiffAndAdditionsFromNothingAreAllPlus() {
        assertThat(LineDiff.unified("a", "b", "x\ny\n", "x\ny\n")).isEmpty();
        assertThat(LineDiff.unified("a", "b", "", "x\ny\n")).isEqualTo("--- a\n+++ b\n@@ -1,0 +1,2 @@\n+x\n+y\n");
    }
}
