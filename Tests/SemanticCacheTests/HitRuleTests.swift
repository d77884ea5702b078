import Testing

@testable import SemanticCache

/// Each veto and penalty of the hit rule on made-up prompts. The cosine is set high (0.97) so the
/// text features, not the similarity, decide.
@Suite struct HitRuleTests {
    let rule = HitRule.standard

    private func decide(_ query: String, _ stored: String, cosine: Float = 0.97) -> HitDecision {
        rule.evaluate(query: query, candidate: stored, cosine: cosine)
    }

    @Test(arguments: [
        ("How do I reverse a list in Python?", "What's the way to reverse a Python list?"),
        ("Compare React and Vue", "Compare Vue and React"),
        ("What's the difference between TCP and UDP?", "Difference between UDP and TCP"),
        ("Who wrote Pride and Prejudice?", "Who is the author of Pride and Prejudice?"),
        ("Convert 5 miles to kilometers", "Convert 5 miles to km"),
        ("How do I move from Windows to Linux?", "Switching to Linux from Windows"),
    ])
    func acceptsParaphrases(query: String, stored: String) {
        let decision = decide(query, stored)
        #expect(decision.accepted, "\(query) / \(stored): \(decision.reason)")
        #expect(decision.reason == "accepted")
    }

    @Test(arguments: [
        ("Flights from Paris to Rome", "Flights from Rome to Paris"),
        ("How do I convert Celsius to Fahrenheit?", "How do I convert Fahrenheit to Celsius?"),
        ("Is Python faster than Java?", "Is Java faster than Python?"),
        ("How to port .NET code to Java", "How to port Java code to .NET"),
        ("Is it safe to drive from Texas to California?", "Is it safe to drive from California to Texas?"),
        // A two-word name: the words between differ, the relation ("to") does not.
        ("How do I migrate from Jenkins to GitHub Actions?", "How do I migrate from GitHub Actions to Jenkins?"),
    ])
    func rejectsSwappedWords(query: String, stored: String) {
        #expect(decide(query, stored).reason.hasPrefix("word order differs"))
    }

    @Test func rejectsDifferentNumbers() {
        let decision = decide("What was the GDP of Japan in 2019?", "What was the GDP of Japan in 2020?")
        #expect(!decision.accepted)
        #expect(decision.reason == "numbers differ: 2019 vs 2020")
        #expect(decide("Give me three tips for sleep", "Give me 3 tips for sleep").accepted)
        #expect(!decide("Give me three tips for sleep", "Give me 5 tips for sleep").accepted)
    }

    @Test(arguments: [
        ("Why is my code not compiling?", "Why is my code compiling?"),
        ("Foods that don't contain gluten", "Foods that contain gluten"),
        ("Can I run Docker without root?", "Can I run Docker as root?"),
    ])
    func rejectsNegationMismatch(query: String, stored: String) {
        #expect(decide(query, stored).reason == "negation differs")
    }

    @Test(arguments: [
        ("What is the best language for beginners?", "What is the worst language for beginners?"),
        ("Sort an array ascending in JavaScript", "Sort an array descending in JavaScript"),
        ("Is short-finned pilot whale endangered?", "Is long-finned pilot whale endangered?"),
        ("Post office hours in Chicago today", "Post office hours in Chicago tomorrow"),
        ("List unsolved selenium issues", "List solved selenium issues"),
        ("Is it safe to drink tap water?", "Is it unsafe to drink tap water?"),
    ])
    func rejectsOppositeWords(query: String, stored: String) {
        #expect(decide(query, stored).reason.hasPrefix("opposite words"))
    }

    @Test func rejectsAnotherKindOfAnswer() {
        let decision = decide("In what year was penicillin discovered?", "Who discovered penicillin?")
        #expect(decision.reason == "asks for another kind of answer: time vs person")
        #expect(decide("Where is the Great Barrier Reef located?", "Describe the Great Barrier Reef.").reason
            == "asks for another kind of answer: place vs description")
        #expect(decide("What experiments led Pavlov to classical conditioning?", "Who developed classical conditioning?")
            .reason.hasPrefix("asks for another kind of answer: thing:experiment vs person"))
    }

    /// Open kinds go together, and "what X" goes with another "what Y" and with open questions.
    @Test(arguments: [
        ("Why is the sky blue?", "Explain why the sky is blue"),
        ("How do I reverse a list in Python?", "Explain how to reverse a list in Python"),
        ("What tool formats Swift code?", "Which program formats Swift code?"),
        ("What caused World War I?", "Summarize the causes of World War I"),
    ])
    func compatibleKindsOfAnswer(query: String, stored: String) {
        #expect(!decide(query, stored).reason.hasPrefix("asks for another kind of answer"), "\(query) / \(stored)")
    }

    @Test(arguments: [
        ("machine learning syllabus site:ox.ac.uk", "site:imperial.ac.uk machine learning syllabus", "names differ: site:ox.ac.uk vs site:imperial.ac.uk"),
        ("tag:kubernetes sort:top ingress tls", "tag:kubernetes sort:recent ingress tls", "names differ: sort:top vs sort:recent"),
        ("How do I call load_dataset?", "How do I call load_from_disk?", "names differ: load_dataset vs load_from_disk"),
    ])
    func rejectsDifferentIdentifiers(query: String, stored: String, reason: String) {
        #expect(decide(query, stored).reason == reason)
    }

    @Test func identifierOnOneSideOnlyIsNoVeto() {
        #expect(PromptWords.literals("See README.md, then run ci/cd: e.g. make.") == ["readme.md"])
        #expect(decide("What does datasets.list_datasets return?", "What does list_datasets return?").accepted)
        #expect(decide("pinned posts list tag:devops", "list of pinned posts in devops tag").accepted)
    }

    @Test func longPromptsWithTheirWordsReorderedNeverHit() {
        let decision = decide(
            "Marc Benno wrote the songs with Leon Russell for the album recorded in Tulsa during the summer",
            "Leon Russell wrote the songs with Marc Benno for the album recorded in Tulsa during the summer")
        #expect(decision.reason == "words reordered")
        // Short keyword queries reorder freely.
        #expect(decide("regex for email validation examples", "examples of email validation regex").accepted)
    }

    @Test func shortSentencesWithTheirWordsReorderedNeverHit() {
        #expect(decide("Why was the king afraid of the queen and the bishop?", "Why was the bishop afraid of the king and the queen?")
            .reason == "words reordered")
        // Two neighbouring words trading places move a modifier, not a role.
        #expect(decide("Which city is the capital of Australia?", "What is the capital city of Australia?").accepted)
    }

    @Test func contrastSetMembersNameDifferentThings() {
        #expect(decide("download the latest NVIDIA driver", "download the newest NVIDIA driver").accepted)
        #expect(decide("How do I install Homebrew on a Mac?", "How do I install Homebrew on macOS?").accepted)
    }

    @Test func addedWordsWeighMoreInShortPrompts() {
        let short = decide("best markdown editors", "best design markdown editors", cosine: 0.87)
        let long = decide(
            "best markdown editors for writing long technical documentation with tables and diagrams on a laptop",
            "best design markdown editors for writing long technical documentation with tables and diagrams on a laptop",
            cosine: 0.87)
        #expect(short.score < long.score)
        #expect(long.score < Double(Float(0.87)))
        #expect(!short.accepted && short.reason == "words added")
        #expect(long.accepted)
    }

    @Test(arguments: [
        "and in 2020?", "What about its population?", "Explain more", "How about in Spanish?",
        "What were its key provisions?", "Why?", "Tell me more about that",
    ])
    func followUpsNeverHit(query: String) {
        let decision = decide(query, "What is the population of France in 2019?", cosine: 0.99)
        #expect(!decision.accepted)
        #expect(decision.reason == "follow-up needs context")
    }

    @Test func selfContainedQuestionsAreNotFollowUps() {
        #expect(!HitFeatures.isFollowUp(PromptWords("Is it safe to eat raw eggs during pregnancy?")))
        #expect(!HitFeatures.isFollowUp(PromptWords("What is the capital of France?")))
    }

    @Test func belowThresholdIsRejectedBeforeLookingAtText() {
        let decision = decide("How do I reverse a list in Python?", "What's the way to reverse a Python list?", cosine: 0.5)
        #expect(!decision.accepted)
        #expect(decision.reason == "below threshold")
        #expect(decision.score == 0.5)
    }

    @Test func thresholdIsTheKnob() {
        let strict = HitRule(threshold: 0.99)
        #expect(!strict.evaluate(query: "Compare React and Vue", candidate: "Compare Vue and React", cosine: 0.98).accepted)
        #expect(HitRule(threshold: 0.9).evaluate(query: "Compare React and Vue", candidate: "Compare Vue and React", cosine: 0.98).accepted)
    }

    @Test func rareWordSubstitutionLowersTheScore() {
        let same = decide("Terraform state locking with S3 backend", "Terraform state locking with S3 backend", cosine: 0.9)
        let swapped = decide("Terraform state locking with gcs backend", "Terraform state locking with kubernetes backend", cosine: 0.9)
        #expect(same.score == Double(Float(0.9)))
        #expect(swapped.score < same.score)
    }

    @Test func tokenizerKeepsCodeTokens() {
        #expect(PromptWords.tokenize("Use C++ or C# with node.js, don't!") == ["use", "c++", "or", "c#", "with", "node.js", "don't"])
        #expect(PromptWords.stem("painted") == PromptWords.stem("painting"))
        #expect(PromptWords.stem("libraries") == "library")
    }
}
