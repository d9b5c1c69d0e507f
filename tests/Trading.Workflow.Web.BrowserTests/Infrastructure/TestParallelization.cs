// Each browser test class hosts its own app and Chromium; run them one after another so timing-sensitive checks
// (dialogs on navigation, live updates) do not compete for a loaded CI machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
