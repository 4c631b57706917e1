"""Words for the benchmark data generator (``haat.benchdata``): tasks per sub-category in English and
Bengali, sentences for descriptions and proposals, and names.

The tasks are the kind of work the seeds describe; the frequency of each word in the generated jobs follows
from how often its phrase is drawn, which gives the searches rare, common and Bengali keywords.
"""

from __future__ import annotations

# Sub-category slug → (English titles, Bengali titles). ``{x}`` is replaced by a subject from SUBJECTS.
TASKS: dict[str, tuple[list[str], list[str]]] = {
    "software-development": (
        [
            "Build a Django web application for {x}",
            "Fix bugs in our Python API for {x}",
            "Develop a REST API and admin panel for {x}",
            "Mobile app (Android and iOS) for {x}",
            "Migrate a PHP website for {x} to a modern framework",
            "Write SQL reports and optimise queries for {x}",
            "JavaScript dashboard with charts for {x}",
        ],
        [
            "{x} এর জন্য জ্যাঙ্গো ওয়েব অ্যাপ তৈরি",
            "{x} এর পাইথন এপিআই এর বাগ ঠিক করা",
            "{x} এর জন্য মোবাইল অ্যাপ তৈরি",
            "{x} এর ডেটাবেস রিপোর্ট ও কুয়েরি",
        ],
    ),
    "web-design": (
        [
            "Design a responsive website for {x}",
            "WordPress website with online shop for {x}",
            "Landing page redesign for {x}",
            "Convert a Figma design to HTML and CSS for {x}",
        ],
        [
            "{x} এর জন্য ওয়েবসাইট ডিজাইন",
            "{x} এর ওয়ার্ডপ্রেস ওয়েবসাইট ও অনলাইন দোকান",
            "{x} এর ল্যান্ডিং পেজ ডিজাইন",
        ],
    ),
    "seo": (
        [
            "SEO audit and keyword research for {x}",
            "Improve Google ranking of a website for {x}",
            "Link building campaign for {x}",
        ],
        ["{x} এর ওয়েবসাইটের এসইও", "{x} এর জন্য কিওয়ার্ড রিসার্চ"],
    ),
    "data-entry": (
        [
            "Data entry of product listings for {x}",
            "Copy invoices into Excel for {x}",
            "Web research: collect contact lists for {x}",
            "Clean and deduplicate a customer spreadsheet for {x}",
        ],
        ["{x} এর পণ্যের তালিকা ডেটা এন্ট্রি", "{x} এর জন্য এক্সেলে ডেটা এন্ট্রি", "{x} এর ওয়েব রিসার্চ"],
    ),
    "call-centre": (
        ["Telemarketing calls for {x}", "Phone support agent for {x}"],
        ["{x} এর জন্য টেলিমার্কেটিং", "{x} এর ফোন সাপোর্ট"],
    ),
    "customer-support": (
        ["Live chat and e-mail support for {x}", "Customer support in English and Bengali for {x}"],
        ["{x} এর লাইভ চ্যাট সাপোর্ট", "{x} এর কাস্টমার সাপোর্ট"],
    ),
    "research-prototypes": (
        [
            "Machine learning model to predict demand for {x}",
            "Prototype a recommendation algorithm for {x}",
            "Image classification prototype for {x}",
        ],
        ["{x} এর জন্য মেশিন লার্নিং মডেল", "{x} এর অ্যালগরিদম প্রোটোটাইপ"],
    ),
    "testing-qa": (
        ["Manual testing of a web shop for {x}", "Test automation with Playwright for {x}"],
        ["{x} এর ওয়েবসাইট টেস্টিং", "{x} এর টেস্ট অটোমেশন"],
    ),
    "graphic-design": (
        [
            "Logo design for {x}",
            "Brand identity and business cards for {x}",
            "Social media banners for {x}",
            "Packaging design for {x}",
        ],
        ["{x} এর জন্য লোগো ডিজাইন", "{x} এর ব্যানার ও পোস্টার ডিজাইন", "{x} এর ব্র্যান্ডিং"],
    ),
    "photo-editing": (
        ["Background removal for product photos of {x}", "Photo retouching for {x}"],
        ["{x} এর পণ্যের ছবির ব্যাকগ্রাউন্ড রিমুভাল", "{x} এর ছবি সম্পাদনা"],
    ),
    "animation": (
        ["2D explainer animation for {x}", "3D model of a product for {x}", "Animated logo for {x}"],
        ["{x} এর জন্য ২ডি অ্যানিমেশন ভিডিও", "{x} এর ৩ডি মডেল"],
    ),
    "video": (
        ["Edit YouTube videos for {x}", "Motion graphics intro for {x}", "Product video editing for {x}"],
        ["{x} এর ইউটিউব ভিডিও সম্পাদনা", "{x} এর ভিডিও এডিটিং"],
    ),
    "articles": (
        ["Write blog articles about {x}", "Copywriting for the website of {x}", "Proofread a book about {x}"],
        ["{x} নিয়ে ব্লগ আর্টিকেল লেখা", "{x} এর ওয়েবসাইটের কপিরাইটিং"],
    ),
    "translation": (
        [
            "Translate English to Bengali documents for {x}",
            "Subtitles in Bengali for videos of {x}",
            "Translate an app for {x} into Bengali",
        ],
        ["{x} এর নথি ইংরেজি থেকে বাংলায় অনুবাদ", "{x} এর ভিডিওর বাংলা সাবটাইটেল"],
    ),
    "engineering": (
        ["AutoCAD drawings for {x}", "Product design and 3D printing files for {x}"],
        ["{x} এর অটোক্যাড নকশা", "{x} এর পণ্য নকশা"],
    ),
    "accounting": (
        ["Bookkeeping in QuickBooks for {x}", "Financial analysis and forecast for {x}"],
        ["{x} এর হিসাবরক্ষণ", "{x} এর আর্থিক বিশ্লেষণ"],
    ),
    "legal": (
        ["Draft a service contract for {x}", "Review terms and conditions for {x}"],
        ["{x} এর চুক্তিপত্র তৈরি", "{x} এর শর্তাবলী পর্যালোচনা"],
    ),
}

GENERIC_TASKS = (["Help with a project for {x}"], ["{x} এর একটি প্রকল্পে সাহায্য"])

# Subjects: the first are common, the last rare (drawn with a skewed distribution).
SUBJECTS = [
    "an online shop",
    "a small business",
    "a restaurant",
    "a clothing brand",
    "a school",
    "a travel agency",
    "a real estate company",
    "a clinic",
    "a garment factory",
    "a mobile banking startup",
    "a bakery",
    "a logistics company",
    "a non-profit",
    "a tea estate",
    "a furniture maker",
    "a pharmacy",
    "a coaching centre",
    "a jute exporter",
    "a podcast",
    "a fitness studio",
    "a law firm",
    "a hotel in Cox's Bazar",
    "a saree boutique",
    "a rickshaw art gallery",
    "a handloom cooperative",
]
SUBJECTS_BN = [
    "অনলাইন দোকান",
    "ছোট ব্যবসা",
    "রেস্টুরেন্ট",
    "পোশাক ব্র্যান্ড",
    "স্কুল",
    "ট্রাভেল এজেন্সি",
    "ক্লিনিক",
    "গার্মেন্টস কারখানা",
    "বেকারি",
    "ফার্মেসি",
    "কোচিং সেন্টার",
    "চা বাগান",
    "শাড়ির দোকান",
    "তাঁত সমবায়",
]

SENTENCES = [
    "We need an experienced freelancer who communicates clearly and delivers on time.",
    "Please share examples of similar work in your proposal.",
    "The work must be finished before the deadline; milestones are fine.",
    "You will get access to our files and a staging server.",
    "Good English is required; Bengali is a plus.",
    "We pay a bonus for excellent quality.",
    "Deliver the source files in a zip with a short read-me.",
    "Weekly status reports are expected for this contract.",
    "Long-term work is possible if this goes well.",
    "The budget is fixed; tell us your delivery time.",
]
SENTENCES_BN = [
    "অভিজ্ঞ ফ্রিল্যান্সার প্রয়োজন যিনি সময়মতো কাজ জমা দেবেন।",
    "আপনার প্রস্তাবে আগের কাজের উদাহরণ দিন।",
    "কাজটি নির্ধারিত সময়ের মধ্যে শেষ করতে হবে।",
    "ভালো মানের কাজের জন্য বোনাস দেওয়া হবে।",
    "সোর্স ফাইল জিপ করে জমা দিতে হবে।",
    "কাজ ভালো হলে দীর্ঘমেয়াদী কাজের সুযোগ আছে।",
]
# Rare words: each appears in about one job in a few thousand (a selective keyword search).
RARE_WORDS = [
    "tensorflow",
    "kubernetes",
    "shopify",
    "quickbooks",
    "laravel",
    "flutter",
    "graphql",
    "elasticsearch",
    "woocommerce",
    "figma",
    "bkash",
    "nagad",
    "zapier",
    "airtable",
    "salesforce",
    "magento",
    "unity",
    "arduino",
    "solidworks",
    "tableau",
]

PROPOSALS = [
    "I have done this kind of work many times and can start today.",
    "I read your description carefully; I can deliver in the time you need.",
    "Experienced with exactly these tools; see my portfolio for similar projects.",
    "আমি এই ধরনের কাজ আগে করেছি, আজই শুরু করতে পারি।",
    "I will send a first draft within two days for your feedback.",
    "Happy to do a short call to clarify the details before starting.",
]

FIRST_NAMES = [
    "Tanvir",
    "Nusrat",
    "Farhana",
    "Sakib",
    "Ayesha",
    "Arif",
    "Maria",
    "Dmytro",
    "Rahim",
    "Priya",
    "Jonas",
    "Sarah",
    "Imran",
    "Sadia",
    "Rafi",
    "Mitu",
    "Kamal",
    "Oliver",
    "Anika",
    "Hasan",
]
LAST_NAMES = [
    "Ahmed",
    "Jahan",
    "Islam",
    "Hasan",
    "Siddiqua",
    "Hossain",
    "Santos",
    "Rahman",
    "Chowdhury",
    "Karim",
    "Nair",
    "Weber",
    "Khan",
    "Akter",
    "Uddin",
]
NAMES_BN = ["তানভীর আহমেদ", "নুসরাত জাহান", "সাকিব হাসান", "রহিম উদ্দিন", "সাদিয়া আক্তার", "কামাল হোসেন"]
COUNTRIES = [
    ("BD", "Asia/Dhaka"),
    ("BD", "Asia/Dhaka"),
    ("BD", "Asia/Dhaka"),
    ("IN", "Asia/Kolkata"),
    ("PH", "Asia/Manila"),
    ("US", "America/New_York"),
    ("GB", "Europe/London"),
    ("DE", "Europe/Berlin"),
    ("UA", "Europe/Kyiv"),
]
